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
