"""The deadline-rule table as the rest of VIK reads it, beside the legal calendar.

The rows (``measures.models.DeadlineRule``: code, length, Atw, legal basis, verification) are
edited by the functional admin on the measures rules page and stay in that app's table; the
measures app registers the reader here when it starts (``register_deadline_rule_source``). Every
other reader (Bibob's terms, letters) asks :func:`deadline_rules` and gets plain, frozen
:class:`DeadlineRuleRow` values, so that no app reaches into the measures models for a term.
See docs/architecture.md ("Deadline rules") for why the table is read through a provider and
not moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


def length_label(*, months: int = 0, weeks: int = 0, days: int = 0) -> str:
    """A term's length in words (``3 maanden + 2 weken``), as rules pages and the calculator
    show it."""
    parts: list[str] = []
    if months:
        parts.append(f"{months} {_('maanden') if months != 1 else _('maand')}")
    if weeks:
        parts.append(f"{weeks} {_('weken') if weeks != 1 else _('week')}")
    if days:
        parts.append(f"{days} {_('dagen') if days != 1 else _('dag')}")
    return " + ".join(parts)


@dataclass(frozen=True)
class DeadlineRuleRow:
    """One rule row: fits :class:`measures.deadlines.RuleLike` (code, days, weeks, months, atw)."""

    code: str
    label: str
    days: int
    weeks: int
    months: int
    atw: bool
    legal_basis: str = ""
    verification: str = "U"  # V, U* or U (DOMAIN tags)

    @property
    def length_label(self) -> str:
        """``3 maanden + 2 weken``, as the rules page shows a length."""
        return length_label(months=self.months, weeks=self.weeks, days=self.days)


RuleSource = Callable[[list[str]], list[DeadlineRuleRow]]

_source: list[RuleSource] = []


def register_deadline_rule_source(fn: RuleSource) -> None:
    """Called once by the app that owns the table (measures) in ``AppConfig.ready()``."""
    _source[:] = [fn]


def deadline_rules(codes: Iterable[str]) -> dict[str, DeadlineRuleRow]:
    """The rule rows with these codes, by code, in one query; missing codes are absent (and
    everything is absent when no app registered the table)."""
    wanted = sorted(set(codes))
    if not _source or not wanted:
        return {}
    return {row.code: row for row in _source[0](wanted)}


def deadline_rule(code: str) -> DeadlineRuleRow | None:
    """One rule row, or None."""
    return deadline_rules([code]).get(code)
