"""Letter kinds (one per procedure step of DOMAIN §1.2–1.5) and the letter workflow states."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterState(models.TextChoices):
    DRAFT = "concept", _("Concept")
    TO_CHECK = "ter_controle", _("Ter controle")
    TO_SIGN = "ter_ondertekening", _("Ter ondertekening")
    APPROVED = "goedgekeurd", _("Goedgekeurd, klaar voor verzending")
    SENT = "verzonden", _("Verzonden / bekendgemaakt")


@dataclass(frozen=True)
class Kind:
    """One letter kind. ``case`` is ``measure`` or ``bibob``; ``kinds``: the measure kinds it
    serves (empty: all); ``states``: the measure states in which it is the next letter (the
    "Brief maken" preselection); ``send_event``: the procedure event that sending records (the
    terms it starts are computed by the engine); ``deadlines``: engine rule codes the letter names
    (each one required: without it nothing is generated)."""

    code: str
    label: str
    case: str
    send_event: str = ""
    deadlines: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    needs_address: bool = True
    extra: tuple[str, ...] = field(default=())


_CLOSURES = ("13b_woning", "13b_lokaal", "prostitutie", "gokken")

KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind(
            "voornemen_sluiting",
            str(_("Voornemen tot sluiting (art. 13b Opiumwet) met uitnodiging zienswijze")),
            "measure",
            send_event="voornemen",
            deadlines=("zienswijze",),
            kinds=_CLOSURES,
            states=("beoordeling", "gewaarschuwd"),
        ),
        Kind(
            "besluit_sluiting",
            str(_("Besluit tot sluiting met bezwaarclausule")),
            "measure",
            send_event="bekendmaking",
            deadlines=("bezwaartermijn",),
            kinds=_CLOSURES,
            states=("besluit",),
        ),
        Kind(
            "voornemen_last",
            str(_("Voornemen last onder dwangsom / bestuursdwang met uitnodiging zienswijze")),
            "measure",
            send_event="voornemen",
            deadlines=("zienswijze",),
            kinds=("lod", "lob"),
            states=("beoordeling", "gewaarschuwd"),
        ),
        Kind(
            "last_onder_dwangsom",
            str(_("Last onder dwangsom met bezwaarclausule")),
            "measure",
            send_event="bekendmaking",
            deadlines=("bezwaartermijn",),
            kinds=("lod",),
            states=("besluit",),
        ),
        Kind(
            "invorderingsbeschikking",
            str(_("Invorderingsbeschikking verbeurde dwangsom")),
            "measure",
            send_event="invordering",
            deadlines=("lod_betaling",),
            kinds=("lod",),
            states=("actief", "maximum_verbeurd", "beeindigd"),
        ),
        Kind(
            "last_onder_bestuursdwang",
            str(_("Last onder bestuursdwang met bezwaarclausule")),
            "measure",
            send_event="bekendmaking",
            deadlines=("bezwaartermijn",),
            kinds=("lob",),
            states=("besluit",),
        ),
        Kind(
            "kostenbeschikking",
            str(_("Kostenbeschikking bestuursdwang (art. 5:25 Awb)")),
            "measure",
            send_event="kostenverhaal",
            deadlines=("lob_kosten_betaling",),
            kinds=("lob",) + _CLOSURES,
            states=("bestuursdwang_toegepast", "gesloten", "heropend"),
        ),
        Kind(
            "bibob_vragenformulier",
            str(_("Bibob: verzoek om het Bibob-vragenformulier")),
            "bibob",
            needs_address=False,
            states=("APPLICATION_RECEIVED", "REVIEW_OF_EXISTING"),
        ),
        Kind(
            "bibob_voornemen",
            str(_("Bibob: voornemen tot weigeren of voorschriften verbinden")),
            "bibob",
            deadlines=("zienswijze",),
            needs_address=False,
            states=("VOORNEMEN_NEGATIVE",),
        ),
        Kind(
            "bibob_besluit",
            str(_("Bibob: besluit op de aanvraag")),
            "bibob",
            send_event="bibob_bekendmaking",
            deadlines=("bezwaartermijn",),
            needs_address=False,
            states=("DECISION",),
        ),
        Kind(
            "bibob_zienswijze_derde",
            str(_("Bibob: uitnodiging zienswijze derde-betrokkene")),
            "bibob",
            deadlines=("zienswijze",),
            needs_address=False,
        ),
        Kind("bibob_art28", str(_("Bibob: mededeling art. 28 Wet Bibob")), "bibob", needs_address=False),
    ]
}

KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]

#: Largest template or letter upload (bytes) and largest unpacked size (zip bomb guard).
MAX_UPLOAD = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
