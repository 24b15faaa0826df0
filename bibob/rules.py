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

    @property
    def kwargs(self) -> dict:
        return {"days": self.days, "weeks": self.weeks, "months": self.months, "atw": self.atw}


def _from_table(code: str) -> RuleLength | None:
    try:
        from django.apps import apps
        from django.db import DatabaseError

        model = apps.get_model("measures", "DeadlineRule")
    except (LookupError, ImportError):
        return None
    fields = {f.name for f in model._meta.get_fields()}
    if not {"code", "atw"} <= fields:
        return None
    try:
        row = model._default_manager.filter(code=code).first()
    except DatabaseError:
        return None
    if row is None:
        return None
    return RuleLength(
        code=code,
        days=int(getattr(row, "days", 0) or 0),
        weeks=int(getattr(row, "weeks", 0) or 0),
        months=int(getattr(row, "months", 0) or 0),
        atw=bool(row.atw),
        legal_basis=str(getattr(row, "legal_basis", "") or ""),
        source="rule",
    )


#: Our codes -> candidate codes in the DeadlineRule table (first hit wins).
RULE_CODES = {
    "bibob_decision_term": ["bibob_beslistermijn"],
    "bibob_repair_term": ["bibob_hersteltermijn"],
    "bibob_lbb_advice": ["bibob_lbb_advies"],
    "bibob_lbb_extension_max": ["bibob_lbb_verlenging"],
    "zienswijze": ["zienswijze"],
    "objection": ["bezwaartermijn"],
}


def rule(code: str) -> RuleLength:
    for candidate in RULE_CODES.get(code, [code]):
        found = _from_table(candidate)
        if found is not None:
            return found
    days, weeks, months, atw, basis = DEFAULT_RULES[code]
    return RuleLength(code, days, weeks, months, atw, basis, "default")
