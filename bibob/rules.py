"""The lengths of the Bibob terms, read from the configurable ``DeadlineRule`` table.

The rule rows live in the measures app's table (DOMAIN.md: "Every period is a configurable
DeadlineRule row") and are read through the provider beside the legal calendar
(``vik.core.deadline_rules``), so Bibob does not import measures; when the table or the row is
missing the defaults of ``bibob.constants.DEFAULT_RULES`` apply and ``source`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .constants import DEFAULT_RULES


@dataclass(frozen=True)
class RuleLength:
    code: str
    days: int
    weeks: int
    months: int
    atw: bool
    legal_basis: str
    source: str  # "rule" (a DeadlineRule row) or "default" (bibob.constants)
    label: str = ""
    verification: str = "U"  # V, U* or U (DOMAIN tags); a default is unverified

    @property
    def is_verified(self) -> bool:
        return self.verification == "V"

    @property
    def verification_label(self) -> str:
        return {"V": "geverifieerd", "U*": "niet geverifieerd (standaardregel)"}.get(
            self.verification, "niet geverifieerd"
        )

    @property
    def kwargs(self) -> dict:
        return {"days": self.days, "weeks": self.weeks, "months": self.months, "atw": self.atw}


def _from_table(codes: list[str]) -> dict[str, RuleLength]:
    """The rule rows with these codes, fetched in one query through the deadline-rule provider
    (``vik.core.deadline_rules``; missing codes are absent)."""
    from django.db import DatabaseError

    from vik.core.deadline_rules import deadline_rules

    try:
        rows = deadline_rules(codes)
    except DatabaseError:
        return {}
    return {
        code: RuleLength(
            code=row.code,
            days=row.days,
            weeks=row.weeks,
            months=row.months,
            atw=row.atw,
            legal_basis=row.legal_basis,
            source="rule",
            label=row.label,
            verification=row.verification or "U",
        )
        for code, row in rows.items()
    }


#: Our codes -> candidate codes in the DeadlineRule table (first hit wins).
RULE_CODES = {
    "bibob_decision_term": ["bibob_beslistermijn"],
    "bibob_decision_term_apv": ["bibob_beslistermijn_apv"],
    "bibob_decision_term_omgevingswet": ["bibob_beslistermijn_omgevingswet"],
    "bibob_repair_term": ["bibob_hersteltermijn"],
    "bibob_lbb_advice": ["bibob_lbb_advies"],
    "bibob_lbb_extension_max": ["bibob_lbb_verlenging"],
    "bibob_lbb_suspension": ["bibob_lbb_opschorting"],
    "zienswijze": ["zienswijze"],
    "zienswijze_maximum": ["zienswijze_maximum"],
    "bibob_third_party_zienswijze": ["bibob_zienswijze_derde"],
    "objection": ["bezwaartermijn"],
}


def rules(*codes: str) -> dict[str, RuleLength]:
    """The lengths for several of our codes at once: one query for all their candidate rows, so a
    page that needs more than one term pays for the rule table once."""
    candidates = {code: RULE_CODES.get(code, [code]) for code in codes}
    table = _from_table(sorted({c for cands in candidates.values() for c in cands})) if codes else {}
    result: dict[str, RuleLength] = {}
    for code, cands in candidates.items():
        hit = next((table[c] for c in cands if c in table), None)
        if hit is not None:
            result[code] = hit
            continue
        days, weeks, months, atw, basis = DEFAULT_RULES[code]
        result[code] = RuleLength(code, days, weeks, months, atw, basis, "default")
    return result


def rule(code: str) -> RuleLength:
    return rules(code)[code]
