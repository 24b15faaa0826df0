"""Procedure deadlines for measures: pure date logic, no ORM (STYLE.md rule 7).

Every function here takes explicit dates and "rule-like" objects (anything with ``code``,
``days``, ``weeks``, ``months`` and ``atw`` attributes: a :class:`measures.models.DeadlineRule`
row or the :class:`Rule` dataclass below) and returns dates. The legal calendar itself (Atw
art. 1–3) lives in :mod:`vik.core.calendar`; this module decides *which* term runs from
*which* event (DOMAIN.md §1.0–§1.4):

========================  ==========================  =====================================
deadline (rule code)      runs from                   done when
========================  ==========================  =====================================
zienswijze                voornemen                   zienswijze received/expired, besluit
bezwaartermijn            bekendmaking (Awb 6:7/6:8)  bezwaar filed
beslistermijn_bezwaar     end of the objection term   beslissing op bezwaar
                          (Awb 7:10(1)), or the
                          filing day of a late
                          objection; 12 weeks with
                          an advisory committee,
                          +6 weeks on verdaging
beroepstermijn            beslissing op bezwaar       beroep filed
hoger_beroepstermijn      uitspraak                   (informational)
begunstigingstermijn      begunstiging event          closure start / last in werking /
                                                      bestuursdwang / compliance
sluitingsduur             closure start; the months   closure end or opheffing
                          of the besluit (matrix) or
                          the rule (Almelo: 6)
========================  ==========================  =====================================

Forfeitures (last onder dwangsom) each have their own clocks, see :func:`forfeiture_deadlines`.

Counting: a term runs from the day after the event (``term_end``); with ``atw`` the Algemene
termijnenwet extends it (art. 1 and 2). Terms set by policy or by the decision itself
(zienswijze, begunstiging, closure duration) and terms longer than three months (limitation,
Atw art. 4) are counted without the Atw: their rule rows carry ``atw=False``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from vik.core.calendar import add_period, term_end

# Rule codes (DeadlineRule.code). Other apps (bibob) use their own codes from the same table.
ZIENSWIJZE = "zienswijze"
BEZWAAR = "bezwaartermijn"
BOB = "beslistermijn_bezwaar"
BOB_COMMISSIE = "beslistermijn_bezwaar_commissie"
BOB_VERDAGING = "verdaging_beslissing_bezwaar"
BEROEP = "beroepstermijn"
HOGER_BEROEP = "hoger_beroepstermijn"
BEGUNSTIGING = "begunstigingstermijn"
SLUITINGSDUUR = "sluitingsduur"
LOD_BETALING = "lod_betaling"
LOD_VERJARING = "lod_verjaring"
LOD_SIGNAAL_9M = "lod_verjaring_signaal_9m"
LOD_SIGNAAL_11M = "lod_verjaring_signaal_11m"
AANMANING = "aanmaning"
INVORDERING_AANVRAAG = "invorderingsbeschikking_aanvraag"
BIBOB_BESLISTERMIJN = "bibob_beslistermijn"
BIBOB_HERSTELTERMIJN = "bibob_hersteltermijn"
BIBOB_LBB = "bibob_lbb_advies"
BIBOB_LBB_VERLENGING = "bibob_lbb_verlenging"


class RuleLike(Protocol):
    code: str
    days: int
    weeks: int
    months: int
    atw: bool


@dataclass(frozen=True)
class Rule:
    """A plain rule, for tests and for callers without a database row."""

    code: str
    days: int = 0
    weeks: int = 0
    months: int = 0
    atw: bool = True


@dataclass(frozen=True)
class Event:
    """One procedure event: its code (``constants.EventType`` value), date and parameters."""

    code: str
    date: date
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeadlineSpec:
    """A computed deadline. ``key`` identifies it within the measure (stable across
    recomputation); ``paused`` means the clock stands still (limitation while contested)."""

    key: str
    rule_code: str
    due: date
    done: bool = False
    paused: bool = False


def compute(rule_like: RuleLike, event_date: date) -> date:
    """The last day still in time for ``rule_like`` triggered by ``event_date``: the term runs
    from the next day; with ``rule_like.atw`` the Atw (art. 1 and 2) applies."""
    return term_end(
        event_date,
        days=rule_like.days or 0,
        weeks=rule_like.weeks or 0,
        months=rule_like.months or 0,
        atw=bool(rule_like.atw),
    )


def _with_days(rule_like: RuleLike, days: int | None) -> RuleLike:
    """The same rule with a period in days set by the decision itself (zienswijze period in the
    voornemen, begunstigingstermijn in the besluit)."""
    if days is None:
        return rule_like
    return Rule(code=rule_like.code, days=int(days), atw=bool(rule_like.atw))


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


# Events after which an open deadline is answered.
_DONE_BY = {
    ZIENSWIJZE: {"zienswijze_ontvangen", "zienswijze_verlopen", "besluit", "intrekking"},
    BEZWAAR: {"bezwaar", "intrekking"},
    BOB: {"beslissing_op_bezwaar", "intrekking"},
    BEROEP: {"beroep", "intrekking"},
    HOGER_BEROEP: {"intrekking"},
    BEGUNSTIGING: {
        "sluiting_start",
        "last_in_werking",
        "bestuursdwang",
        "last_nagekomen",
        "opheffing",
        "intrekking",
    },
    SLUITINGSDUUR: {"sluiting_einde", "opheffing", "intrekking"},
}


def procedure_deadlines(events: Sequence[Event], rules: Mapping[str, RuleLike]) -> list[DeadlineSpec]:
    """All deadlines that follow from a measure's events, in order of the events.

    ``events`` must be in procedure order. A later event of the same kind replaces the
    deadline of an earlier one (a second voornemen gives a new zienswijze end). ``rules`` maps
    rule codes to rule-likes; a missing rule skips its deadline (the functional admin removed
    it), it never guesses a period.
    """
    found: dict[str, tuple[int, str, date]] = {}  # key -> (index of source event, rule code, due)
    duration_months: int | None = None
    objection_end: date | None = None

    def put(key: str, index: int, code: str, due: date) -> None:
        found[key] = (index, code, due)

    for i, ev in enumerate(events):
        p = ev.params or {}
        if ev.code == "voornemen" and ZIENSWIJZE in rules:
            put(
                ZIENSWIJZE,
                i,
                ZIENSWIJZE,
                compute(_with_days(rules[ZIENSWIJZE], _int_or_none(p.get("zienswijze_days"))), ev.date),
            )
        elif ev.code == "besluit":
            duration_months = _int_or_none(p.get("duration_months")) or duration_months
        elif ev.code == "bekendmaking" and BEZWAAR in rules:
            objection_end = compute(rules[BEZWAAR], ev.date)
            put(BEZWAAR, i, BEZWAAR, objection_end)
        elif ev.code == "bezwaar":
            code = BOB_COMMISSIE if p.get("commissie") else BOB
            if code in rules:
                # Awb 7:10(1): counted from the day after the objection term expired; for a
                # late objection (after that day) from its filing.
                start = ev.date if objection_end is None or ev.date > objection_end else objection_end
                put(BOB, i, code, compute(rules[code], start))
        elif ev.code == "verdaging" and BOB in found and BOB_VERDAGING in rules:
            _idx, code, due = found[BOB]
            put(BOB, found[BOB][0], code, compute(rules[BOB_VERDAGING], due))
        elif ev.code == "beslissing_op_bezwaar" and BEROEP in rules:
            put(BEROEP, i, BEROEP, compute(rules[BEROEP], ev.date))
        elif ev.code == "uitspraak" and HOGER_BEROEP in rules:
            put(HOGER_BEROEP, i, HOGER_BEROEP, compute(rules[HOGER_BEROEP], ev.date))
        elif ev.code == "begunstiging" and BEGUNSTIGING in rules:
            days = _int_or_none(p.get("days"))
            put(BEGUNSTIGING, i, BEGUNSTIGING, compute(_with_days(rules[BEGUNSTIGING], days), ev.date))
        elif ev.code == "sluiting_start" and SLUITINGSDUUR in rules:
            months = _int_or_none(p.get("duration_months")) or duration_months
            put(SLUITINGSDUUR, i, SLUITINGSDUUR, closure_end(ev.date, rules[SLUITINGSDUUR], months))

    result = []
    for key, (index, code, due) in found.items():
        answered_by = _DONE_BY.get(key, set())
        done = any(ev.code in answered_by for ev in events[index + 1 :])
        result.append(DeadlineSpec(key=key, rule_code=code, due=due, done=done))
    return sorted(result, key=lambda s: (s.due, s.key))


def closure_end(start: date, rule_like: RuleLike, months: int | None = None) -> date:
    """End of a closure: ``start`` plus the duration of the besluit (months from the
    escalation matrix), or the rule's default (Almelo: 6 months). A closure starting on
    1 March 2026 for six months ends on 1 September 2026; one starting on 31 August for six
    months ends on 28 February (the last day of the shorter month)."""
    if months:
        return compute(Rule(code=rule_like.code, months=months, atw=bool(rule_like.atw)), start)
    return compute(rule_like, start)


def contested_periods(events: Iterable[Event]) -> list[tuple[date, date | None]]:
    """Periods during which a bezwaar or beroep against the order was pending: from the
    filing to the decision on it (``None`` while still pending)."""
    periods: list[tuple[date, date | None]] = []
    open_bezwaar: date | None = None
    open_beroep: date | None = None
    for ev in events:
        if ev.code == "bezwaar" and open_bezwaar is None:
            open_bezwaar = ev.date
        elif ev.code == "beslissing_op_bezwaar" and open_bezwaar is not None:
            periods.append((open_bezwaar, ev.date))
            open_bezwaar = None
        elif ev.code == "beroep" and open_beroep is None:
            open_beroep = ev.date
        elif ev.code == "uitspraak" and open_beroep is not None:
            periods.append((open_beroep, ev.date))
            open_beroep = None
    for start in (open_bezwaar, open_beroep):
        if start is not None:
            periods.append((start, None))
    return sorted(periods, key=lambda p: p[0])


def _merge(periods: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for s, e in sorted(periods):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def pause_days(since: date, periods: Iterable[tuple[date, date | None]], *, as_of: date) -> int:
    """Calendar days after ``since`` during which the limitation clock stood still. Overlapping
    periods (bezwaar and beroep at once) count once; an open period counts up to ``as_of``."""
    closed = []
    for s, e in periods:
        end = as_of if e is None else e
        s = max(s, since)
        if end > s:
            closed.append((s, end))
    return sum((e - s).days for s, e in _merge(closed))


def limitation_date(
    forfeited_on: date,
    rule_like: RuleLike,
    *,
    periods: Iterable[tuple[date, date | None]] = (),
    pause: bool = True,
    interrupted_on: date | None = None,
    as_of: date | None = None,
) -> tuple[date, bool]:
    """The day on which collection of one forfeiture becomes time-barred, and whether the clock
    is paused now.

    * Awb 5:35(1): one year after the day of forfeiture (the rule row; Atw art. 4 keeps the Atw
      off for a term this long).
    * Awb 5:37a (interruption): an invorderingsbeschikking starts a new term from its date.
    * Awb 5:35(2) (new text; switch ``pause``): the term is extended by the days during which a
      bezwaar or beroep against the order was pending after the start of the term. While one is
      still pending the clock is paused: the date returned counts the pause up to ``as_of``.
    """
    periods = list(periods)
    start = interrupted_on if interrupted_on and interrupted_on > forfeited_on else forfeited_on
    base = compute(rule_like, start)
    if not pause:
        return base, False
    as_of = as_of or start
    paused = any(e is None and s <= as_of for s, e in periods)
    return base + timedelta(days=pause_days(start, periods, as_of=as_of)), paused


def forfeiture_deadlines(
    *,
    number: int,
    forfeited_on: date,
    rules: Mapping[str, RuleLike],
    paid: bool = False,
    invordering_on: date | None = None,
    aanmaning_on: date | None = None,
    periods: Iterable[tuple[date, date | None]] = (),
    pause: bool = True,
    as_of: date | None = None,
) -> list[DeadlineSpec]:
    """The clocks of one forfeiture (DOMAIN §1.3): payment due 6 weeks after the forfeiture
    (Awb 5:33), the aanmaning term (Awb 4:112), limitation (5:35) and the early warnings at 9
    and 11 months. All are done once the amount is paid."""
    out: list[DeadlineSpec] = []
    prefix = f"verbeurte:{number}:"
    if LOD_BETALING in rules:
        out.append(
            DeadlineSpec(prefix + "betaling", LOD_BETALING, compute(rules[LOD_BETALING], forfeited_on), paid)
        )
    if aanmaning_on and AANMANING in rules:
        out.append(
            DeadlineSpec(prefix + "aanmaning", AANMANING, compute(rules[AANMANING], aanmaning_on), paid)
        )
    if LOD_VERJARING in rules:
        due, paused = limitation_date(
            forfeited_on,
            rules[LOD_VERJARING],
            periods=periods,
            pause=pause,
            interrupted_on=invordering_on,
            as_of=as_of,
        )
        out.append(DeadlineSpec(prefix + "verjaring", LOD_VERJARING, due, paid, paused))
    for code in (LOD_SIGNAAL_9M, LOD_SIGNAAL_11M):
        if code in rules:
            out.append(DeadlineSpec(prefix + code, code, compute(rules[code], forfeited_on), paid))
    return out


def next_open(specs: Iterable[DeadlineSpec]) -> DeadlineSpec | None:
    """The first deadline that is neither done nor paused."""
    open_ = [s for s in specs if not s.done and not s.paused]
    return min(open_, key=lambda s: s.due) if open_ else None


__all__ = [
    "DeadlineSpec",
    "Event",
    "Rule",
    "add_period",
    "closure_end",
    "compute",
    "contested_periods",
    "forfeiture_deadlines",
    "limitation_date",
    "next_open",
    "pause_days",
    "procedure_deadlines",
]
