"""The merge fields a letter template may use, and the values they get from a case, the law and
the deadline engine. A deadline field holds only a date the engine computed (measures.deadlines /
bibob.deadlines, or a Deadline row the case already has); a field the engine did not compute is
absent, and a template that uses it is refused at generation with the field named."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

#: field -> its attributes (empty: a plain value), with the Dutch explanation shown to the admin
FIELDS: dict[str, dict[str, str]] = {
    "datum": {},
    "kenmerk": {},
    "gemeente": {"naam": "naam van de gemeente", "bestuursorgaan": "de burgemeester / het college"},
    "zaak": {
        "nummer": "zaaknummer (M-12, B-2026-001)",
        "omschrijving": "korte omschrijving",
        "grondslag": "wettelijke grondslag",
        "soort": "soort maatregel of beschikking",
    },
    "ontvanger": {
        "naam": "naam van de geadresseerde",
        "aanhef": "aanhef (Geachte heer/mevrouw …)",
        "adres": "straat en huisnummer",
        "postcode_plaats": "postcode en plaats",
    },
    "object": {"adres": "adres van het pand / object"},
    "termijn": {
        "zienswijze": "laatste dag voor de zienswijze (berekend)",
        "zienswijze_dagen": "lengte zienswijzetermijn in dagen",
        "bezwaar": "laatste dag van de bezwaartermijn (berekend)",
        "betaling": "laatste dag om te betalen (berekend)",
        "bibob": "laatste dag van de Bibob-termijn (berekend)",
    },
    "besluit": {
        "duur": "duur van de sluiting",
        "bedrag": "bedrag per overtreding",
        "maximum": "maximum van de dwangsom",
        "datum": "datum van het besluit",
    },
    "verbeurte": {"nummer": "nummer", "datum": "datum van verbeurte", "bedrag": "verbeurd bedrag"},
    "kosten": {"bedrag": "kosten bestuursdwang"},
    "bezwaarclausule": {},
    "ondertekenaar": {"naam": "naam van de gemandateerde", "functie": "functie"},
}
FIELD_HELP = {
    "datum": _("datum van verzending (zoals in de brief)"),
    "kenmerk": _("kenmerk van de brief"),
    "bezwaarclausule": _("de bezwaarclausule met de berekende termijn"),
}
#: names a template may define itself (loop variables); none are needed for the starter set
LOCAL_NAMES: set[str] = {"loop"}

_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip
_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def long_date(d: date) -> str:
    """27 april 2026"""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def weekday_date(d: date) -> str:
    """donderdag 27 april 2026 (a term's last day, named with its weekday)."""
    return f"{_DAYS[d.weekday()]} {long_date(d)}"


def page_date(d: date) -> str:
    """donderdag 27-04-2026: a date on a VIK page or in a message (dd-mm-jjjj, as everywhere in
    VIK, with the weekday for a term's last day). The letter itself keeps the written-out date."""
    return f"{_DAYS[d.weekday()]} {d:%d-%m-%Y}"


def catalogue() -> list[tuple[str, str]]:
    """(field, explanation) for the admin's field list."""
    rows: list[tuple[str, str]] = []
    for name, attrs in FIELDS.items():
        if attrs:
            rows += [(f"{name}.{a}", h) for a, h in attrs.items()]
        else:
            rows.append((name, str(FIELD_HELP.get(name, ""))))
    return rows


def demo_context() -> dict:
    """A fictitious case for the admin's preview (no real person, dates clearly examples)."""
    d = date(2026, 4, 13)
    return {
        "datum": long_date(d),
        "kenmerk": "BR-0 / M-0 (voorbeeld)",
        "gemeente": {"naam": "Almelo", "bestuursorgaan": "de burgemeester"},
        "zaak": {
            "nummer": "M-0",
            "omschrijving": "Voorbeeldzaak (geen echte zaak)",
            "grondslag": "art. 13b Opiumwet",
            "soort": "Sluiting woning (art. 13b Opiumwet)",
        },
        "ontvanger": {
            "naam": "J. de Voorbeeld",
            "aanhef": "Geachte heer/mevrouw De Voorbeeld",
            "adres": "Voorbeeldstraat 1",
            "postcode_plaats": "7600 AA Almelo",
        },
        "object": {"adres": "Voorbeeldstraat 1, 7600 AA Almelo"},
        "termijn": {
            "zienswijze": weekday_date(date(2026, 4, 27)),
            "zienswijze_dagen": 14,
            "bezwaar": weekday_date(date(2026, 5, 26)),
            "betaling": weekday_date(date(2026, 5, 26)),
            "bibob": weekday_date(date(2026, 6, 8)),
        },
        "besluit": {
            "duur": "6 maanden",
            "bedrag": "€ 5.000,00",
            "maximum": "€ 20.000,00",
            "datum": long_date(d),
        },
        "verbeurte": {"nummer": 1, "datum": long_date(date(2026, 4, 1)), "bedrag": "€ 5.000,00"},
        "kosten": {"bedrag": "€ 1.250,00"},
        "bezwaarclausule": objection_clause("6 weken", weekday_date(date(2026, 5, 26)), "de burgemeester"),
        "ondertekenaar": {"naam": "A. Voorbeeld", "functie": "gemandateerd functionaris"},
    }


def objection_clause(length: str, last_day: str, organ: str) -> str:
    return (
        f"Bent u het niet eens met dit besluit? Dan kunt u binnen {length} na de dag waarop dit besluit "
        f"is bekendgemaakt bezwaar maken bij {organ}. Uw bezwaarschrift moet uiterlijk op {last_day} "
        "binnen zijn. Zet in uw bezwaarschrift uw naam en adres, de datum, het kenmerk van dit besluit, "
        "waarom u het er niet mee eens bent, en uw handtekening (artikel 6:5 Algemene wet bestuursrecht). "
        "Een bezwaar schort de werking van het besluit niet op. Bij spoed kunt u de voorzieningenrechter "
        "van de rechtbank vragen om een voorlopige voorziening (artikel 8:81 Awb)."
    )
