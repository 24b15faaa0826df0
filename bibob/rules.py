"""The lengths of the Bibob terms, read from the configurable ``DeadlineRule`` table.

The rule rows live in the measures app (``measures.models.DeadlineRule``; DOMAIN.md: "Every period
is a configurable DeadlineRule row"). Bibob must not depend on measures at import time, so the
table is looked up lazily; when the app, the table or the row is missing the defaults of
``bibob.constants.DEFAULT_RULES`` apply and ``source`` says so.
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
    """The ``DeadlineRule`` rows with these codes, fetched in one query (missing codes are absent)."""
    try:
        from django.apps import apps
        from django.db import DatabaseError

        model = apps.get_model("measures", "DeadlineRule")
    except (LookupError, ImportError):
        return {}
    fields = {f.name for f in model._meta.get_fields()}
    if not {"code", "atw"} <= fields:
        return {}
    try:
        rows = list(model._default_manager.filter(code__in=codes))
    except DatabaseError:
        return {}
    found: dict[str, RuleLength] = {}
    for row in rows:
        found[row.code] = RuleLength(
            code=row.code,
            days=int(getattr(row, "days", 0) or 0),
            weeks=int(getattr(row, "weeks", 0) or 0),
            months=int(getattr(row, "months", 0) or 0),
            atw=bool(row.atw),
            legal_basis=str(getattr(row, "legal_basis", "") or ""),
            source="rule",
            label=str(getattr(row, "label", "") or ""),
            verification=str(getattr(row, "verification", "U") or "U"),
        )
    return found


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
