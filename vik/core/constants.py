from django.db import models
from django.utils.translation import gettext_lazy as _


class Compartment(models.TextChoices):
    GENERAL = "general", _("Algemeen")
    MMA = "mma", _("Meld Misdaad Anoniem")
    POLICE = "police", _("Politie (Wpg-voorwaarden)")
    BIBOB = "bibob", _("Bibob")


class OrgKind(models.TextChoices):
    TEAM = "team", _("Team van de gemeente")
    PARTNER = "partner", _("Partnerorganisatie")


class PartnerType(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Gemeente")
    POLICE = "politie", _("Politie")
    RIEC = "riec", _("RIEC")
    ODT = "odt", _("Omgevingsdienst")
    SRT = "srt", _("Sociale Recherche")
    OTHER = "overig", _("Overig")


class AccessAction(models.TextChoices):
    READ = "read", _("ingezien")
    SEARCH = "search", _("gezocht")
    EXPORT = "export", _("geëxporteerd")
    PRINT = "print", _("afgedrukt")
    DOWNLOAD = "download", _("gedownload")
    BREAK_GLASS = "break_glass", _("break-glass")
    DENIED = "denied", _("geweigerd")


class EmailStatus(models.TextChoices):
    NONE = "none", _("geen e-mail")
    PENDING = "pending", _("in de wachtrij")
    SENT = "sent", _("verstuurd")
    RETRYING = "retrying", _("opnieuw proberen")
    FAILED = "failed", _("mislukt")


class AccessResult(models.TextChoices):
    ALLOWED = "allowed", _("toegestaan")
    DENIED = "denied", _("geweigerd")


# Role names (Django groups) as created by the data migration. Code must not branch on these;
# they exist here only so that seed_demo and migrations name the same groups.
ROLE_ANALYST = "Analist"
ROLE_CHAIR = "Voorzitter casustafel"
ROLE_BIBOB = "Bibob-specialist"
ROLE_DECISION_MAKER = "Bestuurder"
ROLE_PARTNER = "Partner"
ROLE_FUNCTIONAL_ADMIN = "Functioneel beheerder"
ROLE_PRIVACY_OFFICER = "Privacy officer"
ROLE_RECORDS_MANAGER = "Informatiebeheerder"  # archivaris: second approval of destruction lists
ROLE_REPORTER = "Melder"  # every municipal employee: the reporting form and their own receipts only
ALL_ROLES = [
    ROLE_ANALYST,
    ROLE_CHAIR,
    ROLE_BIBOB,
    ROLE_DECISION_MAKER,
    ROLE_PARTNER,
    ROLE_FUNCTIONAL_ADMIN,
    ROLE_PRIVACY_OFFICER,
    ROLE_RECORDS_MANAGER,
    ROLE_REPORTER,
]


class RiskBranch(models.TextChoices):
    """The 17 risk branches of Almelo's Bibob policy (seed §2.2, a–q)."""

    AFVAL = "afval", _("Afvalverwerkingsbranche")
    ASBEST = "asbest", _("Asbestsaneringsbranche")
    AUTO = "auto", _("Autobranche")
    DRUGS = "drugs", _("Drugsbranche")
    ENERGIE = "energie", _("Energiebranche")
    GRONDVERZET = "grondverzet", _("Grondverzet- en saneringsbranche")
    HORECA = "horeca", _("Horecabranche")
    KAMERVERHUUR = "kamerverhuur", _("Kamerverhuurbranche")
    KANSSPEL = "kansspel", _("Kansspelbranche")
    KAPPERS = "kappers", _("Kappersbranche")
    PROSTITUTIE = "prostitutie", _("Prostitutiebranche")
    RECYCLING = "recycling", _("Recyclingbranche")
    RELIGIEUS = "religieus", _("Religieuze instellingen")
    SCHOONHEID = "schoonheid", _("Schoonheidsverzorgingsbranche")
    SLOOP = "sloop", _("Sloopbranche")
    TELECOM = "telecom", _("Telecombranche")
    VUURWERK = "vuurwerk", _("Vuurwerkbranche")


class LegalBasis(models.TextChoices):
    """Legal bases a processing activity in the register (AVG art. 30) can rest on."""

    AVG_6_1_C = "avg_6_1_c", _("AVG art. 6 lid 1 sub c (wettelijke verplichting)")
    AVG_6_1_E = "avg_6_1_e", _("AVG art. 6 lid 1 sub e (taak van algemeen belang / openbaar gezag)")
    AVG_10_UAVG = "avg_10_uavg", _("AVG art. 10 en UAVG (strafrechtelijke gegevens)")
    WPG = "wpg", _("Wet politiegegevens")
    BIBOB = "bibob", _("Wet Bibob")
    OPIUMWET_13B = "opiumwet_13b", _("Opiumwet art. 13b")
    GEMEENTEWET_174 = "gemeentewet_174", _("Gemeentewet art. 174/174a")
    GEMEENTEWET_125 = "gemeentewet_125", _("Gemeentewet art. 125")
    AWB = "awb", _("Algemene wet bestuursrecht")


class ReasonCategory(models.TextChoices):
    """Categories of a stated reason in the werkcontext; each maps to a processing activity."""

    ANALYSIS = "onderzoek", _("Onderzoek en analyse ondermijning")
    INTAKE = "intake", _("Beoordelen van een signaal of melding")
    CASUSTAFEL = "casustafel", _("Voorbereiden van de casustafel")
    ENFORCEMENT = "handhaving", _("Voorbereiden van een bestuurlijke maatregel")
    BIBOB = "bibob", _("Bibob-onderzoek")
    REGISTRY = "register", _("Controle in de basisregistraties")
    PRIVACY = "privacy", _("Privacytoezicht of verzoek van een betrokkene")


class MappingKind(models.TextChoices):
    CASE = "case", _("soort zaak")
    REASON = "reason", _("soort reden")
    PAGE = "page", _("onderdeel van VIK")


class LdvStatus(models.IntegerChoices):
    """OpenTelemetry status codes as LDV uses them."""

    UNSET = 0, _("niet gezet")
    OK = 1, _("ok")
    ERROR = 2, _("fout")
