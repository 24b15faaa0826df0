from django.db import models
from django.utils.translation import gettext_lazy as _

# Codes of the reference lists seeded by the data migration. The functional admin can add more;
# code refers to these few only where the law attaches a rule to them (M. tips, police data).
SOURCE_MMA = "mma"
SOURCE_POLICE = "politie"
SOURCE_CONTROL = "controle"

SEED_SOURCES = [
    ("politie", "Politie (bestuurlijke rapportage, mutatie, hennepinformatie)"),
    ("mma", "Meld Misdaad Anoniem (M.)"),
    ("odt", "Omgevingsdienst Twente"),
    ("intern", "Intern (ogen en oren van de gemeente)"),
    ("controle", "Integrale of DOR/DOL-controle"),
    ("riec", "RIEC Oost-Nederland"),
    ("srt", "Sociale Recherche Twente"),
    ("belastingdienst", "Belastingdienst/Douane"),
    ("gemeente", "Andere gemeente"),
    ("overig", "Overig"),
]

SEED_PHENOMENA = [
    ("drugs", "Drugs"),
    ("hennep", "Hennep"),
    ("fraude", "Fraude"),
    ("zorgfraude", "Zorgfraude"),
    ("witwassen", "Witwassen"),
    ("kamerverhuur", "Kamerverhuur"),
    ("mensenhandel", "Mensenhandel en uitbuiting"),
    ("prostitutie", "Prostitutie"),
    ("gokken", "Illegaal gokken"),
    ("heling", "Heling"),
    ("vuurwerk", "Vuurwerk"),
    ("horeca", "Horeca"),
    ("vastgoed", "Vastgoed"),
    ("geweld", "Geweld"),
    ("inbrekerswerktuigen", "Inbrekerswerktuigen"),
    ("overig", "Overig"),
]


class SignalStatus(models.TextChoices):
    RECEIVED = "RECEIVED", _("Ontvangen")
    TRIAGE = "TRIAGE", _("Triage")
    POLICE_ALIGNMENT_PENDING = "POLICE_ALIGNMENT_PENDING", _("Wacht op afstemming politie")
    DISMISSED = "DISMISSED", _("Afgewezen")
    ENRICHMENT = "ENRICHMENT", _("Verrijking")
    CASUSTAFEL_AGENDA = "CASUSTAFEL_AGENDA", _("Op agenda casustafel")
    CASE_OPEN = "CASE_OPEN", _("Casus geopend")
    INTERVENTION = "INTERVENTION", _("Interventie")
    CLOSED = "CLOSED", _("Afgesloten")


OPEN_STATUSES = [s for s in SignalStatus.values if s not in (SignalStatus.DISMISSED, SignalStatus.CLOSED)]

# DOMAIN §1.1: RECEIVED → TRIAGE → (DISMISSED | ENRICHMENT) → CASUSTAFEL_AGENDA → CASE_OPEN →
# INTERVENTION(s) → CLOSED. An M. tip waits in POLICE_ALIGNMENT_PENDING until the alignment with
# the police in the lokaal ondermijningsoverleg is recorded (guard in services).
TRANSITIONS: dict[str, list[str]] = {
    SignalStatus.RECEIVED: [SignalStatus.TRIAGE],
    SignalStatus.TRIAGE: [
        SignalStatus.DISMISSED,
        SignalStatus.ENRICHMENT,
        SignalStatus.POLICE_ALIGNMENT_PENDING,
    ],
    SignalStatus.POLICE_ALIGNMENT_PENDING: [SignalStatus.ENRICHMENT, SignalStatus.DISMISSED],
    SignalStatus.ENRICHMENT: [SignalStatus.CASUSTAFEL_AGENDA, SignalStatus.DISMISSED],
    SignalStatus.CASUSTAFEL_AGENDA: [SignalStatus.CASE_OPEN, SignalStatus.ENRICHMENT, SignalStatus.CLOSED],
    SignalStatus.CASE_OPEN: [SignalStatus.INTERVENTION, SignalStatus.CLOSED],
    SignalStatus.INTERVENTION: [SignalStatus.CASE_OPEN, SignalStatus.CLOSED],
    SignalStatus.DISMISSED: [],
    SignalStatus.CLOSED: [],
}


class ReliabilitySource(models.TextChoices):
    """Police intelligence grading of the source (4x4 system)."""

    A = "A", _("A – volledig betrouwbaar")
    B = "B", _("B – meestal betrouwbaar")
    C = "C", _("C – niet betrouwbaar")
    X = "X", _("X – onbekend")


class ReliabilityInformation(models.TextChoices):
    """Police intelligence grading of the information (4x4 system)."""

    ONE = "1", _("1 – juist, zonder voorbehoud")
    TWO = "2", _("2 – persoonlijk bekend bij de bron")
    THREE = "3", _("3 – niet persoonlijk bekend, wel bevestigd")
    FOUR = "4", _("4 – niet te beoordelen")


class LegalRegime(models.TextChoices):
    AVG = "AVG", _("AVG")
    WPG = "WPG", _("Wpg (politiegegevens onder voorwaarden)")


class CasustafelOutcome(models.TextChoices):
    LOCAL = "local", _("Lokaal oppakken")
    RIEC = "riec", _("Aanmelden bij het RIEC")
    CLOSE = "close", _("Afsluiten")


class SubjectRole(models.TextChoices):
    BETROKKENE = "betrokkene", _("betrokkene")
    VERDACHTE = "verdachte", _("gemelde persoon")
    BEWONER = "bewoner", _("bewoner")
    EIGENAAR = "eigenaar", _("eigenaar")
    EXPLOITANT = "exploitant", _("exploitant")
    LOCATIE = "locatie", _("locatie")
    VOERTUIG = "voertuig", _("gebruikt voertuig")
    OVERIG = "overig", _("overig")


class ControlType(models.TextChoices):
    GUSTOS = "gustos", _("GUSTOS-controle")
    HORECA = "horeca", _("Horecacontrole")
    PREMISES = "bedrijfspand", _("Bedrijfspanden en garageboxen")
    GAMBLING = "gokken", _("Illegaal gokken")
    CARE_FRAUD = "zorgfraude", _("Zorgfraude")
    DOR_DOL = "dor_dol", _("DOR/DOL-controle opkopers")


class ControlStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Gepland")
    VISIT = "VISIT", _("Bezoek")
    FINDINGS = "FINDINGS", _("Bevindingen")
    FOLLOW_UP = "FOLLOW_UP", _("Opvolging")
    CLOSED = "CLOSED", _("Afgesloten")


class ControlPartner(models.TextChoices):
    POLICE = "politie", _("Politie (sterke arm)")
    SRT = "srt", _("Sociale Recherche Twente")
    FIRE = "brandweer", _("Brandweer Twente")
    ODT = "odt", _("Omgevingsdienst Twente")
    KSA = "ksa", _("Kansspelautoriteit")
    TAX = "belastingdienst", _("Belastingdienst/Douane")


class FindingType(models.TextChoices):
    # DOR/DOL (DOMAIN §1.6)
    NOT_REGISTERED = "niet_geregistreerd", _("Niet aangemeld bij het DOL")
    REGISTER_INCOMPLETE = "register_onvolledig", _("Register (DOR) onvolledig")
    HOLDING_PERIOD = "bewaartermijn", _("Bewaartermijn niet in acht genomen")
    STOLEN_MATCH = "gestolen_goed", _("Match met gestolen goed (naar politie)")
    # integral controls
    ILLEGAL_RESIDENCE = "illegale_bewoning", _("Illegale bewoning")
    EXPLOITATION = "uitbuiting", _("Aanwijzingen voor uitbuiting")
    FRAUD = "fraude", _("Aanwijzingen voor fraude")
    ZONING = "bestemmingsplan", _("Gebruik in strijd met bestemmingsplan of APV")
    PERMIT = "vergunning", _("Exploitatievergunning niet nageleefd")
    EXCISE = "accijns", _("Accijns of hygiëne")
    GAMBLING = "gokken", _("Illegale kansspelen")
    OTHER = "overig", _("Overig")


DOR_DOL_FINDINGS = [
    FindingType.NOT_REGISTERED,
    FindingType.REGISTER_INCOMPLETE,
    FindingType.HOLDING_PERIOD,
    FindingType.STOLEN_MATCH,
]


class FollowUp(models.TextChoices):
    WARNING = "waarschuwing", _("Waarschuwing")
    LOD = "lod", _("Last onder dwangsom")
    CRIMINAL = "strafrechtelijk", _("Strafrechtelijke melding")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Geüpload, nog niet gecontroleerd")
    PREVIEW = "preview", _("Gecontroleerd, wacht op bevestiging")
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Niet geïmporteerd")


# States in which a batch claims its file's content: the same file is not imported again.
IMPORT_CLAIMING_STATES = [ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE]


# Which phenomenon a finding of a control type most likely concerns (signal spawned by a finding).
CONTROL_PHENOMENON = {
    ControlType.GUSTOS: "kamerverhuur",
    ControlType.HORECA: "horeca",
    ControlType.PREMISES: "hennep",
    ControlType.GAMBLING: "gokken",
    ControlType.CARE_FRAUD: "zorgfraude",
    ControlType.DOR_DOL: "heling",
}
