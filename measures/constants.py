"""Choices for measures: kinds, states, events, rule metadata (DOMAIN.md §1.0–§1.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    CLOSURE_13B_HOME = "13b_woning", _("Sluiting woning (art. 13b Opiumwet)")
    CLOSURE_13B_PREMISES = "13b_lokaal", _("Sluiting lokaal (art. 13b Opiumwet)")
    CLOSURE_PROSTITUTION = "prostitutie", _("Sluiting wegens illegale prostitutie")
    CLOSURE_GAMBLING = "gokken", _("Sluiting wegens illegaal gokken")
    LOD = "lod", _("Last onder dwangsom")
    LOB = "lob", _("Last onder bestuursdwang")


CLOSURE_KINDS = {
    MeasureKind.CLOSURE_13B_HOME,
    MeasureKind.CLOSURE_13B_PREMISES,
    MeasureKind.CLOSURE_PROSTITUTION,
    MeasureKind.CLOSURE_GAMBLING,
}
KINDS_13B = {MeasureKind.CLOSURE_13B_HOME, MeasureKind.CLOSURE_13B_PREMISES}

#: Default legal basis per kind (editable per measure). [U] for prostitution/gambling (DOMAIN §1.2b).
DEFAULT_LEGAL_BASIS = {
    MeasureKind.CLOSURE_13B_HOME: "art. 13b Opiumwet",
    MeasureKind.CLOSURE_13B_PREMISES: "art. 13b Opiumwet",
    MeasureKind.CLOSURE_PROSTITUTION: "APV / art. 174 Gemeentewet",
    MeasureKind.CLOSURE_GAMBLING: "APV / art. 174 Gemeentewet",
    MeasureKind.LOD: "APV jo. art. 5:32 Awb",
    MeasureKind.LOB: "art. 125 Gemeentewet jo. art. 5:21 Awb",
}


class MeasureState(models.TextChoices):
    ASSESSMENT = "beoordeling", _("Beoordeling")
    WARNED = "gewaarschuwd", _("Waarschuwing verstuurd")
    VOORNEMEN_SENT = "voornemen", _("Voornemen verstuurd")
    ZIENSWIJZE_RECEIVED = "zienswijze_ontvangen", _("Zienswijze ontvangen")
    ZIENSWIJZE_EXPIRED = "zienswijze_verlopen", _("Zienswijzetermijn verlopen")
    BESLUIT = "besluit", _("Besluit genomen")
    BEKENDGEMAAKT = "bekendgemaakt", _("Bekendgemaakt")
    BEGUNSTIGING = "begunstiging", _("Begunstigingstermijn loopt")
    CLOSED_ACTIVE = "gesloten", _("Gesloten")
    REOPENED = "heropend", _("Heropend")
    ACTIVE = "actief", _("Last van kracht")
    MAXIMUM_REACHED = "maximum_verbeurd", _("Maximum verbeurd")
    COMPLIED = "nagekomen", _("Last nagekomen")
    EXECUTED = "bestuursdwang_toegepast", _("Bestuursdwang toegepast")
    ENDED = "beeindigd", _("Last beëindigd")
    COST_RECOVERY = "kostenverhaal", _("Kostenverhaal")
    WITHDRAWN = "ingetrokken", _("Ingetrokken / afgezien")
    FINISHED = "afgerond", _("Afgerond")


FINAL_STATES = {MeasureState.WITHDRAWN, MeasureState.FINISHED}


class EventType(models.TextChoices):
    RAPPORTAGE = "rapportage", _("Bestuurlijke rapportage ontvangen")
    WAARSCHUWING = "waarschuwing", _("Waarschuwing verstuurd")
    VOORNEMEN = "voornemen", _("Voornemen verstuurd")
    ZIENSWIJZE_ONTVANGEN = "zienswijze_ontvangen", _("Zienswijze ontvangen")
    ZIENSWIJZE_VERLOPEN = "zienswijze_verlopen", _("Zienswijzetermijn verlopen")
    BESLUIT = "besluit", _("Besluit")
    BEKENDMAKING = "bekendmaking", _("Bekendmaking")
    BEGUNSTIGING = "begunstiging", _("Begunstigingstermijn gestart")
    SLUITING_START = "sluiting_start", _("Sluiting gestart")
    SLUITING_EINDE = "sluiting_einde", _("Sluiting beëindigd")
    OPHEFFING = "opheffing", _("Opheffing (vervroegd)")
    LAST_IN_WERKING = "last_in_werking", _("Last in werking")
    VERBEURTE = "verbeurte", _("Dwangsom verbeurd")
    LAST_NAGEKOMEN = "last_nagekomen", _("Last nagekomen")
    BESTUURSDWANG = "bestuursdwang", _("Bestuursdwang toegepast")
    LAST_BEEINDIGD = "last_beeindigd", _("Last beëindigd")
    KOSTENVERHAAL = "kostenverhaal", _("Kostenverhaal")
    BEZWAAR = "bezwaar", _("Bezwaar ingediend")
    VERDAGING = "verdaging", _("Beslissing op bezwaar verdaagd")
    BESLISSING_OP_BEZWAAR = "beslissing_op_bezwaar", _("Beslissing op bezwaar")
    BEROEP = "beroep", _("Beroep ingesteld")
    UITSPRAAK = "uitspraak", _("Uitspraak rechtbank")
    HOGER_BEROEP = "hoger_beroep", _("Hoger beroep ingesteld")
    UITSPRAAK_HOGER_BEROEP = "uitspraak_hoger_beroep", _("Uitspraak in hoger beroep (ABRvS)")
    HERBEOORDELING = "herbeoordeling", _("Sluiting voor onbepaalde tijd herbeoordeeld")
    VERZOEK_INVORDERING = "verzoek_invordering", _("Verzoek derde om invordering (art. 5:37 lid 2 Awb)")
    BESLISSING_VERZOEK_INVORDERING = (
        "beslissing_verzoek_invordering",
        _("Beslissing op verzoek om invordering"),
    )
    BEZWAAR_WEIGERING_INVORDERING = "bezwaar_weigering_invordering", _("Bezwaar tegen weigering invordering")
    BOB_WEIGERING_INVORDERING = (
        "beslissing_op_bezwaar_weigering_invordering",
        _("Beslissing op bezwaar tegen weigering invordering"),
    )
    BEROEP_WEIGERING_INVORDERING = "beroep_weigering_invordering", _("Beroep tegen weigering invordering")
    UITSPRAAK_WEIGERING_INVORDERING = (
        "uitspraak_weigering_invordering",
        _("Uitspraak over weigering invordering"),
    )
    SCHORSING_INVORDERING = "schorsing_invordering", _("Invordering geschorst door voorzieningenrechter")
    SCHORSING_INVORDERING_EINDE = "schorsing_invordering_einde", _("Schorsing invordering beëindigd")
    VV_AANGEVRAAGD = "vv_aangevraagd", _("Voorlopige voorziening aangevraagd")
    VV_TOEGEWEZEN = "vv_toegewezen", _("Voorlopige voorziening toegewezen")
    VV_AFGEWEZEN = "vv_afgewezen", _("Voorlopige voorziening afgewezen")
    INTREKKING = "intrekking", _("Ingetrokken / afgezien")
    AFRONDING = "afronding", _("Dossier afgerond")


class SetBy(models.TextChoices):
    LAW = "law", _("Wet")
    POLICY = "policy", _("Beleid")
    DECISION = "decision", _("Besluit")


class Verification(models.TextChoices):
    VERIFIED = "V", _("Geverifieerd")
    HIGH_CONFIDENCE = "U*", _("Niet geverifieerd (standaardregel, hoge zekerheid)")
    UNVERIFIED = "U", _("Niet geverifieerd")


class ObjectType(models.TextChoices):
    HOME = "woning", _("Woning")
    PREMISES = "lokaal", _("Lokaal / bedrijfspand")


class DrugClass(models.TextChoices):
    LIST_I = "lijst_1", _("Harddrugs (lijst I)")
    LIST_II = "lijst_2", _("Softdrugs (lijst II)")
    ANY = "alle", _("Alle")


class ReceivableKind(models.TextChoices):
    FORFEITED = "verbeurd", _("Verbeurde dwangsom")
    COSTS = "kosten", _("Kosten bestuursdwang")
    FINE = "boete", _("Boete")
    BENEFIT = "uitkering", _("Onterecht verstrekte uitkering")


class ReceivableStatus(models.TextChoices):
    OPEN = "open", _("Openstaand")
    INVOICED = "gefactureerd", _("Gefactureerd / invorderingsbeschikking")
    COLLECTED = "geind", _("Geïnd")
    WRITTEN_OFF = "afgeboekt", _("Afgeboekt")
    TIME_BARRED = "verjaard", _("Verjaard")


class BezwaarOutcome(models.TextChoices):
    UNFOUNDED = "ongegrond", _("Ongegrond")
    FOUNDED = "gegrond", _("Gegrond (besluit herroepen)")
    INADMISSIBLE = "niet_ontvankelijk", _("Niet-ontvankelijk")
