"""Choices and defaults of the Bibob procedure (DOMAIN.md §1.5, seed §2.2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vik.core.constants import RiskBranch  # noqa: F401  (re-exported: the 17 branches a–q)


class DecisionType(models.TextChoices):
    """The decisions to which Almelo applies the Wet Bibob (seed §2.2)."""

    ALCOHOLWET_3 = "alcoholwet_3", _("Alcoholwet art. 3 (drank- en horecavergunning)")
    OMGEVING_BOUWEN = "omgeving_bouwen", _("Omgevingsvergunning: bouwen van een bouwwerk")
    OMGEVING_INRICHTING = "omgeving_inrichting", _("Omgevingsvergunning: inrichting of mijnbouwwerk")
    OMGEVING_OVERIG = "omgeving_overig", _("Omgevingsvergunning: andere bij AMvB aangewezen activiteit")
    APV_2_28 = "apv_2_28", _("APV 2:28 exploitatievergunning openbare inrichting (horeca)")
    APV_2_39 = "apv_2_39", _("APV 2:39 speelgelegenheden")
    APV_2_81B = "apv_2_81b", _("APV 2:81b exploitatie in aangewezen gebied, straat of gebouw")
    APV_3_2 = "apv_3_2", _("APV 3:2 seksinrichtingen")
    SUBSIDIE_BW = "subsidie_bw", _("Subsidie beschermd wonen")
    VASTGOED = "vastgoed", _("Vastgoedtransactie")


#: The law or article on which each decision rests (shown, and stored as the default legal basis).
LEGAL_BASIS = {
    DecisionType.ALCOHOLWET_3: "Alcoholwet art. 3",
    DecisionType.OMGEVING_BOUWEN: "Omgevingswet (bouwactiviteit)",
    DecisionType.OMGEVING_INRICHTING: "Omgevingswet (milieubelastende activiteit / mijnbouwwerk)",
    DecisionType.OMGEVING_OVERIG: "Omgevingswet (bij AMvB aangewezen activiteit)",
    DecisionType.APV_2_28: "APV Almelo art. 2:28",
    DecisionType.APV_2_39: "APV Almelo art. 2:39",
    DecisionType.APV_2_81B: "APV Almelo art. 2:81b",
    DecisionType.APV_3_2: "APV Almelo art. 3:2",
    DecisionType.SUBSIDIE_BW: "Subsidieregeling beschermd wonen",
    DecisionType.VASTGOED: "Wet Bibob art. 5a (vastgoedtransactie)",
}


class DecisionMaker(models.TextChoices):
    BURGEMEESTER = "burgemeester", _("Burgemeester")
    COLLEGE = "college", _("College van burgemeester en wethouders")


class DossierStatus(models.TextChoices):
    APPLICATION_RECEIVED = "APPLICATION_RECEIVED", _("Aanvraag ontvangen")
    REVIEW_OF_EXISTING = "REVIEW_OF_EXISTING", _("Toets bestaande vergunning")
    QUESTIONNAIRE_SENT = "QUESTIONNAIRE_SENT", _("Vragenformulier verstuurd")
    OWN_INVESTIGATION = "OWN_INVESTIGATION", _("Eigen onderzoek")
    LBB_ADVICE_REQUESTED = "LBB_ADVICE_REQUESTED", _("Advies LBB gevraagd")
    ADVICE_RECEIVED = "ADVICE_RECEIVED", _("Advies ontvangen")
    VERIFICATION = "VERIFICATION", _("Vergewissen")
    VOORNEMEN_NEGATIVE = "VOORNEMEN_NEGATIVE", _("Voornemen negatief besluit")
    ZIENSWIJZE = "ZIENSWIJZE", _("Zienswijze")
    DECISION = "DECISION", _("Besluit genomen")


S = DossierStatus
#: The allowed transitions (DOMAIN.md §1.5) with the sensible skips:
#: - the questionnaire can come with the application, so the own investigation may start at once;
#: - an own investigation that finds nothing ends in a (positive) decision without LBB advice;
#: - an own investigation that finds enough goes to verification without LBB advice;
#: - a verification may ask the LBB for a supplementary advice, or end in a positive decision;
#: - a negative decision (refuse, withdraw, conditions) always passes voornemen → zienswijze.
TRANSITIONS: dict[str, set[str]] = {
    S.APPLICATION_RECEIVED: {S.QUESTIONNAIRE_SENT, S.OWN_INVESTIGATION},
    S.REVIEW_OF_EXISTING: {S.QUESTIONNAIRE_SENT, S.OWN_INVESTIGATION},
    S.QUESTIONNAIRE_SENT: {S.OWN_INVESTIGATION},
    S.OWN_INVESTIGATION: {S.LBB_ADVICE_REQUESTED, S.VERIFICATION, S.DECISION},
    S.LBB_ADVICE_REQUESTED: {S.ADVICE_RECEIVED},
    S.ADVICE_RECEIVED: {S.VERIFICATION},
    S.VERIFICATION: {S.VOORNEMEN_NEGATIVE, S.DECISION, S.LBB_ADVICE_REQUESTED},
    S.VOORNEMEN_NEGATIVE: {S.ZIENSWIJZE},
    S.ZIENSWIJZE: {S.DECISION, S.VERIFICATION},
    S.DECISION: set(),
}
#: Statuses from which a decision can be taken, and which outcome kinds each allows.
INITIAL_STATUSES = {S.APPLICATION_RECEIVED, S.REVIEW_OF_EXISTING}

#: What the specialist does next, per status (shown on the list and the dossier page).
NEXT_ACTION = {
    S.APPLICATION_RECEIVED: _("Vragenformulier versturen"),
    S.REVIEW_OF_EXISTING: _("Vragenformulier versturen"),
    S.QUESTIONNAIRE_SENT: _("Vragenformulier ontvangen en op volledigheid toetsen"),
    S.OWN_INVESTIGATION: _("Eigen onderzoek afronden: LBB-advies vragen, vergewissen of positief besluiten"),
    S.LBB_ADVICE_REQUESTED: _("Wachten op advies LBB (of vervolgvragen bijhouden)"),
    S.ADVICE_RECEIVED: _("Advies vastleggen en vergewissen"),
    S.VERIFICATION: _("Vergewissen afronden: voornemen of positief besluit"),
    S.VOORNEMEN_NEGATIVE: _("Zienswijze afwachten"),
    S.ZIENSWIJZE: _("Besluit voorleggen aan de bestuurder"),
    S.DECISION: _("Bekendmaking en bezwaartermijn bewaken"),
}


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Aanvrager")
    OWNER = "owner", _("Eigenaar")
    MANAGER = "manager", _("Leidinggevende / bestuurder")
    FINANCIER = "financier", _("Financier")
    PREMISES = "premises", _("Pand / locatie")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Persoon")
    ORGANISATION = "organisation", _("Organisatie")
    ADDRESS = "address", _("Adres")


class Danger(models.TextChoices):
    """Degree of danger per ground (Wet Bibob art. 3(1) and (7))."""

    ERNSTIG = "ernstig", _("Ernstig gevaar")
    MINDERE_MATE = "mindere_mate", _("Mindere mate van gevaar")
    GEEN = "geen", _("Geen gevaar")


class AdviceSource(models.TextChoices):
    LBB = "lbb", _("Advies Landelijk Bureau Bibob")
    OWN = "own", _("Eigen onderzoek (conclusie gemeente)")


class Outcome(models.TextChoices):
    GRANT = "grant", _("Verlenen")
    GRANT_CONDITIONS = "grant_conditions", _("Verlenen met voorschriften")
    REFUSE = "refuse", _("Weigeren")
    WITHDRAW = "withdraw", _("Intrekken")


#: Outcomes that burden the applicant: they need voornemen + zienswijze first (DOMAIN §1.5 row 7).
NEGATIVE_OUTCOMES = {Outcome.GRANT_CONDITIONS, Outcome.REFUSE, Outcome.WITHDRAW}


class CheckKind(models.TextChoices):
    OPEN_SOURCES = "open_sources", _("Open bronnen")
    JUSTICE = "justice", _("Justitiële gegevens")
    POLICE = "police", _("Politiegegevens (via de driehoek)")
    TAX = "tax", _("Fiscale gegevens (Belastingdienst)")
    NETWORK = "network", _("Zakelijk netwerk van de betrokkenen")
    EARLIER = "earlier", _("Eerdere signalen en maatregelen (VIK)")


class Recipient(models.TextChoices):
    """Who may receive Bibob information (Wet Bibob art. 28). Anything else is refused."""

    APPLICANT = "applicant", _("Betrokkene (aanvrager / vergunninghouder)")
    THIRD_PARTY = "third_party", _("Derde die in het advies is genoemd")
    DRIEHOEK = "driehoek", _("Driehoek (burgemeester, politie, OM)")
    RIEC = "riec", _("RIEC")
    OBJECTION_COMMITTEE = "objection_committee", _("Bezwaarcommissie")
    COURT = "court", _("Rechter")


class LegalGround(models.TextChoices):
    IN_REASONING = "in_reasoning", _("In de motivering van de beschikking aan betrokkene")
    THIRD_PARTY_OWN_DATA = "third_party_own_data", _("Aan de derde, uitsluitend over de derde zelf")
    DRIEHOEK_REASONING = "driehoek_reasoning", _("Aan de driehoek, ter onderbouwing van de motivering")
    RIEC_BIBOB = "riec_bibob", _("Aan het RIEC, ter ondersteuning van de toepassing van de Wet Bibob")
    OBJECTION_APPEAL = "objection_appeal", _("In bezwaar of (hoger) beroep")


#: The art. 28 list: recipient -> the legal grounds allowed for it. Kept as data so that the
#: expected amendment (Kst 35764) changes one table, not the code.
ALLOWED_DISCLOSURES: dict[str, set[str]] = {
    Recipient.APPLICANT: {LegalGround.IN_REASONING},
    Recipient.THIRD_PARTY: {LegalGround.THIRD_PARTY_OWN_DATA},
    Recipient.DRIEHOEK: {LegalGround.DRIEHOEK_REASONING},
    Recipient.RIEC: {LegalGround.RIEC_BIBOB},
    Recipient.OBJECTION_COMMITTEE: {LegalGround.OBJECTION_APPEAL},
    Recipient.COURT: {LegalGround.OBJECTION_APPEAL},
}


# --- term defaults, used when the DeadlineRule table (measures) has no row for the code --------
#: code -> (days, weeks, months, atw, legal basis)
DEFAULT_RULES: dict[str, tuple[int, int, int, bool, str]] = {
    "bibob_decision_term": (0, 8, 0, True, "Awb 4:13 (redelijke termijn, 8 weken)"),
    "bibob_decision_term_apv": (0, 8, 0, False, "APV (model-APV art. 1:2: acht weken)"),
    "bibob_decision_term_omgevingswet": (0, 8, 0, True, "Omgevingswet art. 16.64 lid 1"),
    "bibob_repair_term": (14, 0, 0, False, "Awb 4:5 (hersteltermijn, door het bestuursorgaan gesteld)"),
    "bibob_lbb_advice": (0, 8, 0, True, "Wet Bibob: advies LBB binnen 8 weken"),
    "bibob_lbb_extension_max": (0, 4, 0, True, "Wet Bibob: verlenging advies LBB met ten hoogste 4 weken"),
    "bibob_lbb_suspension": (
        0,
        8,
        0,
        False,
        "Wet Bibob art. 31: opschorting ten hoogste 8 weken (tijdsduur)",
    ),
    "zienswijze": (14, 0, 0, False, "Awb 4:8 (termijn in het voornemen, beleid)"),
    "zienswijze_maximum": (0, 12, 0, False, "Beleid: ten hoogste toegestane zienswijzetermijn"),
    "bibob_third_party_zienswijze": (14, 0, 0, False, "Wet Bibob art. 33 jo. Awb 4:8 (derde in het advies)"),
    "objection": (0, 6, 0, True, "Awb 6:7 en 6:8"),
}
#: Fallbacks when the rule rows are missing (bibob.rules); never used when the rows exist.
LBB_ADVICE_WEEKS = 8
LBB_MAX_EXTENSION_WEEKS = 4


#: The decision-term rule per regime (issue #16 item 5): APV licences have the term of the
#: regulation, Omgevingswet permits their own; the rest (Alcoholwet, subsidies, real estate) the
#: Awb's reasonable term (4:13). A review or withdrawal has none (no application).
DECISION_TERM_RULES = {
    DecisionType.APV_2_28: "bibob_decision_term_apv",
    DecisionType.APV_2_39: "bibob_decision_term_apv",
    DecisionType.APV_2_81B: "bibob_decision_term_apv",
    DecisionType.APV_3_2: "bibob_decision_term_apv",
    DecisionType.OMGEVING_BOUWEN: "bibob_decision_term_omgevingswet",
    DecisionType.OMGEVING_INRICHTING: "bibob_decision_term_omgevingswet",
    DecisionType.OMGEVING_OVERIG: "bibob_decision_term_omgevingswet",
}
