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

from vik.core.calendar import add_period, subtract_period, term_end

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
SLUITING_HERBEOORDELING = "sluiting_herbeoordeling"
LOB_KOSTEN_VASTSTELLING = "lob_kosten_vaststelling"
LOB_KOSTEN_BETALING = "lob_kosten_betaling"
LOB_KOSTEN_VERJARING = "lob_kosten_verjaring"


class RuleLike(Protocol):
    # Read-only members: a frozen Rule and a DeadlineRule row both fit.
    @property
    def code(self) -> str: ...
    @property
    def days(self) -> int: ...
    @property
    def weeks(self) -> int: ...
    @property
    def months(self) -> int: ...
    @property
    def atw(self) -> bool: ...


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
    start: date | None = None  # the triggering event's date (the term runs from the next day)
    note: str = ""  # why the date is what it is beyond the plain term (extensions), in Dutch


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


def _date_or_none(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# Events after which an open deadline is answered.
_DONE_BY = {
    ZIENSWIJZE: {"zienswijze_ontvangen", "zienswijze_verlopen", "besluit", "intrekking"},
    BEZWAAR: {"bezwaar", "intrekking"},
    BOB: {"beslissing_op_bezwaar", "intrekking"},
    BEROEP: {"beroep", "intrekking"},
    HOGER_BEROEP: {"hoger_beroep", "intrekking"},
    BEGUNSTIGING: {
        "sluiting_start",
        "last_in_werking",
        "bestuursdwang",
        "last_nagekomen",
        "opheffing",
        "intrekking",
    },
    SLUITINGSDUUR: {"sluiting_einde", "opheffing", "intrekking"},
    SLUITING_HERBEOORDELING: {"sluiting_einde", "opheffing", "intrekking"},
    LOB_KOSTEN_VASTSTELLING: {"kostenverhaal", "intrekking"},
    LOB_KOSTEN_BETALING: {"kosten_betaald", "intrekking"},
    LOB_KOSTEN_VERJARING: {"kosten_betaald", "intrekking"},
}


def procedure_deadlines(events: Sequence[Event], rules: Mapping[str, RuleLike]) -> list[DeadlineSpec]:
    """All deadlines that follow from a measure's events, in order of the events.

    ``events`` must be in procedure order. A later event of the same kind replaces the
    deadline of an earlier one (a second voornemen gives a new zienswijze end). ``rules`` maps
    rule codes to rule-likes; a missing rule skips its deadline (the functional admin removed
    it), it never guesses a period.

    A closure lasts what the besluit says (``duration_months`` or ``end_date``); a besluit
    "voor onbepaalde tijd" (``indefinite``) has no end date, only a periodic review
    (``SLUITING_HERBEOORDELING``, policy). The rule's default never fills a gap: a closure
    without a stated duration gets no end date.
    """
    found: dict[str, tuple[int, str, date, date, str]] = {}  # key -> (index, rule code, due, start, note)
    duration_months: int | None = None
    end_date: date | None = None
    indefinite = False
    objection_end: date | None = None
    closure_started: date | None = None

    def put(key: str, index: int, code: str, due: date, start: date, note: str = "") -> None:
        found[key] = (index, code, due, start, note)

    for i, ev in enumerate(events):
        p = ev.params or {}
        if ev.code == "voornemen" and ZIENSWIJZE in rules:
            put(
                ZIENSWIJZE,
                i,
                ZIENSWIJZE,
                compute(_with_days(rules[ZIENSWIJZE], _int_or_none(p.get("zienswijze_days"))), ev.date),
                ev.date,
            )
        elif ev.code == "besluit":
            if p.get("indefinite"):
                indefinite, duration_months, end_date = True, None, None
            elif p.get("end_date"):
                indefinite, duration_months, end_date = False, None, _date_or_none(p.get("end_date"))
            elif _int_or_none(p.get("duration_months")):
                indefinite, duration_months, end_date = False, _int_or_none(p.get("duration_months")), None
        elif ev.code == "bekendmaking" and BEZWAAR in rules:
            objection_end = compute(rules[BEZWAAR], ev.date)
            put(BEZWAAR, i, BEZWAAR, objection_end, ev.date)
        elif ev.code == "bezwaar":
            code = BOB_COMMISSIE if p.get("commissie") else BOB
            if code in rules:
                # Awb 7:10(1): counted from the day after the objection term expired; for a
                # late objection (after that day) from its filing.
                start = ev.date if objection_end is None or ev.date > objection_end else objection_end
                put(BOB, i, code, compute(rules[code], start), start)
        elif ev.code == "verdaging" and BOB in found and BOB_VERDAGING in rules:
            _idx, code, due, _s, _n = found[BOB]
            put(
                BOB,
                found[BOB][0],
                code,
                compute(rules[BOB_VERDAGING], due),
                due,
                "verdaagd (art. 7:10 lid 3 Awb)",
            )
        elif ev.code == "beslissing_op_bezwaar" and BEROEP in rules:
            put(BEROEP, i, BEROEP, compute(rules[BEROEP], ev.date), ev.date)
        elif ev.code == "uitspraak" and HOGER_BEROEP in rules:
            put(HOGER_BEROEP, i, HOGER_BEROEP, compute(rules[HOGER_BEROEP], ev.date), ev.date)
        elif ev.code == "begunstiging" and BEGUNSTIGING in rules:
            days = _int_or_none(p.get("days"))
            put(
                BEGUNSTIGING,
                i,
                BEGUNSTIGING,
                compute(_with_days(rules[BEGUNSTIGING], days), ev.date),
                ev.date,
            )
        elif ev.code == "sluiting_start":
            closure_started = ev.date
            months = _int_or_none(p.get("duration_months")) or duration_months
            if p.get("indefinite"):
                indefinite, months = True, None
            if indefinite and not months:
                found.pop(SLUITINGSDUUR, None)
                if SLUITING_HERBEOORDELING in rules:
                    rule = rules[SLUITING_HERBEOORDELING]
                    put(SLUITING_HERBEOORDELING, i, SLUITING_HERBEOORDELING, compute(rule, ev.date), ev.date)
            elif SLUITINGSDUUR in rules and (months or end_date):
                due = (
                    end_date
                    if end_date and not months
                    else closure_end(ev.date, rules[SLUITINGSDUUR], months)
                )
                put(SLUITINGSDUUR, i, SLUITINGSDUUR, due, ev.date)
            # bestuursdwang is applied from the first day of the closure (Awb 5:25(6) clock)
            if LOB_KOSTEN_VASTSTELLING in rules and LOB_KOSTEN_VASTSTELLING not in found:
                put(
                    LOB_KOSTEN_VASTSTELLING,
                    i,
                    LOB_KOSTEN_VASTSTELLING,
                    compute(rules[LOB_KOSTEN_VASTSTELLING], ev.date),
                    ev.date,
                )
        elif ev.code == "herbeoordeling" and closure_started and SLUITING_HERBEOORDELING in found:
            rule = rules[SLUITING_HERBEOORDELING]
            put(SLUITING_HERBEOORDELING, i, SLUITING_HERBEOORDELING, compute(rule, ev.date), ev.date)
        elif ev.code == "bestuursdwang" and LOB_KOSTEN_VASTSTELLING in rules:
            put(
                LOB_KOSTEN_VASTSTELLING,
                i,
                LOB_KOSTEN_VASTSTELLING,
                compute(rules[LOB_KOSTEN_VASTSTELLING], ev.date),
                ev.date,
            )
        elif ev.code == "kostenverhaal":
            # The kostenbeschikking (Awb 5:25): paid within six weeks after its bekendmaking
            # (4:87, Atw); the claim is time-barred five years after that payment term (4:104).
            made_known = _date_or_none(p.get("bekendgemaakt_op")) or ev.date
            if LOB_KOSTEN_BETALING in rules:
                pay_due = compute(rules[LOB_KOSTEN_BETALING], made_known)
                put(LOB_KOSTEN_BETALING, i, LOB_KOSTEN_BETALING, pay_due, made_known)
                if LOB_KOSTEN_VERJARING in rules:
                    put(
                        LOB_KOSTEN_VERJARING,
                        i,
                        LOB_KOSTEN_VERJARING,
                        compute(rules[LOB_KOSTEN_VERJARING], pay_due),
                        pay_due,
                    )

    result = []
    for key, (index, code, due, start, note) in found.items():
        answered_by = _DONE_BY.get(key, set())
        done = any(ev.code in answered_by for ev in events[index + 1 :])
        result.append(DeadlineSpec(key=key, rule_code=code, due=due, done=done, start=start, note=note))
    return sorted(result, key=lambda s: (s.due, s.key))


def closure_end(start: date, rule_like: RuleLike, months: int | None = None) -> date:
    """End of a closure: ``start`` plus the duration of the besluit in months. A closure
    starting on 1 March 2026 for six months ends on 1 September 2026; one starting on 31 August
    for six months ends on 28 February (the last day of the shorter month). Without ``months``
    the rule's own length is used (callers pass the besluit's duration; the engine never calls
    this without one)."""
    if months:
        return compute(Rule(code=rule_like.code, months=months, atw=bool(rule_like.atw)), start)
    return compute(rule_like, start)


def contested_periods(events: Iterable[Event]) -> list[tuple[date, date | None]]:
    """Periods during which a bezwaar, beroep or hoger beroep against the order was pending:
    from the filing to the decision on it (``None`` while still pending). Informational: the
    limitation no longer counts these days (see :func:`limitation`)."""
    periods: list[tuple[date, date | None]] = []
    open_: dict[str, date] = {}
    closes = {
        "beslissing_op_bezwaar": "bezwaar",
        "uitspraak": "beroep",
        "uitspraak_hoger_beroep": "hoger_beroep",
    }
    for ev in events:
        if ev.code in ("bezwaar", "beroep", "hoger_beroep") and ev.code not in open_:
            open_[ev.code] = ev.date
        elif ev.code in closes and closes[ev.code] in open_:
            periods.append((open_.pop(closes[ev.code]), ev.date))
    periods.extend((start, None) for start in open_.values())
    return sorted(periods, key=lambda p: p[0])


# --- the life of a remedy (Awb 5:35(2), 5:37a(3)) ---------------------------------------------

#: Event codes of the remedies against the order itself (last onder dwangsom).
ORDER_REMEDY = {
    "opens": "bekendmaking",
    "bezwaar": "bezwaar",
    "decided": "beslissing_op_bezwaar",
    "beroep": "beroep",
    "uitspraak": "uitspraak",
    "hoger_beroep": "hoger_beroep",
    "final": "uitspraak_hoger_beroep",
}
#: Event codes of the remedies against the refusal of a request to collect (Awb 5:37(2), 5:37a(3)).
REFUSAL_REMEDY = {
    "opens": "beslissing_verzoek_invordering",
    "bezwaar": "bezwaar_weigering_invordering",
    "decided": "beslissing_op_bezwaar_weigering_invordering",
    "beroep": "beroep_weigering_invordering",
    "uitspraak": "uitspraak_weigering_invordering",
    "hoger_beroep": "hoger_beroep_weigering_invordering",
    "final": "uitspraak_hoger_beroep_weigering_invordering",
}


@dataclass(frozen=True)
class RemedyLife:
    """The life of the remedies against one besluit: from the day after its bekendmaking until
    it is final (onherroepelijk). ``final_on`` is the last day of that life: the last day of a
    remedy term that passed unused, or the day of the last instance's decision; ``None`` while
    a remedy is pending or its term still depends on a decision not yet taken."""

    opened_on: date
    final_on: date | None
    stage: str  # the last known stage, for the explanation (Dutch)

    def covers(self, day: date) -> bool:
        """On ``day`` a remedy is open (its term runs) or pending."""
        return self.opened_on < day and (self.final_on is None or day <= self.final_on)


def remedy_life(
    events: Sequence[Event], rules: Mapping[str, RuleLike], *, codes: Mapping[str, str] = ORDER_REMEDY
) -> RemedyLife | None:
    """The remedy life of the (last) besluit made known by ``codes["opens"]``, from the events.

    Terms: objection 6 weeks after bekendmaking (Awb 6:7/6:8), beroep 6 weeks after the
    decision on objection, hoger beroep 6 weeks after the uitspraak (rule rows, Atw applies).
    A term whose end has no following remedy event is taken as unused: the besluit is final at
    the end of that term. Without the rule rows there is no life (nothing is guessed)."""
    opened: Event | None = None
    for ev in events:
        if ev.code == codes["opens"]:
            opened = ev
    if opened is None:
        return None
    later = [ev for ev in events if ev.date >= opened.date and ev is not opened]
    seen = {ev.code: ev for ev in later}

    def term(rule_code: str, on: date) -> date | None:
        return compute(rules[rule_code], on) if rule_code in rules else None

    if codes["final"] in seen:
        return RemedyLife(opened.date, seen[codes["final"]].date, "uitspraak in hoger beroep")
    if codes["hoger_beroep"] in seen:
        return RemedyLife(opened.date, None, "hoger beroep aanhangig")
    if codes["uitspraak"] in seen:
        end = term(HOGER_BEROEP, seen[codes["uitspraak"]].date)
        return RemedyLife(opened.date, end, "termijn hoger beroep")
    if codes["beroep"] in seen:
        return RemedyLife(opened.date, None, "beroep aanhangig")
    if codes["decided"] in seen:
        end = term(BEROEP, seen[codes["decided"]].date)
        return RemedyLife(opened.date, end, "beroepstermijn")
    if codes["bezwaar"] in seen:
        return RemedyLife(opened.date, None, "bezwaar aanhangig")
    end = term(BEZWAAR, opened.date)
    if end is None:
        return None
    return RemedyLife(opened.date, end, "bezwaartermijn")


@dataclass(frozen=True)
class Limitation:
    """The limitation of one forfeiture. ``due`` is the last day on which the claim can be
    collected; ``None`` when it is extended until a remedy is decided (date not yet known).
    ``plain`` is the one-year date (after any interruption); ``reasons`` say why it moved."""

    plain: date
    due: date | None
    start: date
    reasons: tuple[str, ...] = ()

    @property
    def paused(self) -> bool:
        return self.due is None


def _for_forfeiture(events: Iterable[Event], number: int | None) -> list[Event]:
    """Collection events (5:37/5:37a) scoped to one forfeiture (``params["verbeurte"]``) or to all."""
    out = []
    for ev in events:
        scope = (ev.params or {}).get("verbeurte")
        if scope in (None, "") or number is None or int(scope) == int(number):  # type: ignore[arg-type]
            out.append(ev)
    return out


def limitation(
    forfeited_on: date,
    rules: Mapping[str, RuleLike],
    *,
    events: Sequence[Event] = (),
    number: int | None = None,
    interrupted_on: date | None = None,
    extend: bool = True,
) -> Limitation | None:
    """Limitation of the claim to one forfeited penalty (Awb 5:35 and 5:37a, text in force since
    1 April 2021). Pure: the answer follows from the events, not from today's date.

    * 5:35(1): one year after the day of forfeiture (rule ``lod_verjaring``; Atw art. 4: a term
      longer than three months is not extended by the Atw).
    * 5:37a(1) with 4:105/4:106: a beschikking tot invordering interrupts; a new term of the same
      length runs from it (``interrupted_on``, or a granted request to collect in the events).
    * 5:35(2): when **on the day the claim would be time-barred** an objection, appeal or higher
      appeal against the order is open (its term still runs) or pending, the term is extended
      until the decision on it is final. A remedy that was pending earlier and decided before
      that day does not extend anything.
    * 5:37a(2)/(3): the same for a third party's request to collect (5:37(2)) that is pending on
      that day, and for a remedy against its refusal that is open or pending then.
    * 5:37a(4): when on that day the beschikking tot invordering is suspended by the
      voorzieningenrechter, the term is extended by the length of the suspension.

    ``extend=False`` (setting ``MEASURES_LIMITATION_PAUSE`` off) applies only the plain year and
    interruptions.
    """
    if LOD_VERJARING not in rules:
        return None
    rule = rules[LOD_VERJARING]
    events = list(events)
    scoped = _for_forfeiture(events, number)
    start = forfeited_on
    if interrupted_on and interrupted_on > start:
        start = interrupted_on
    for ev in scoped:
        if (
            ev.code == "beslissing_verzoek_invordering"
            and (ev.params or {}).get("toegewezen")
            and ev.date > start
        ):
            start = ev.date  # the granted request is a beschikking tot invordering (5:37a(1))
    plain = compute(rule, start)
    if not extend:
        return Limitation(plain, plain, start)
    due: date | None = plain
    reasons: list[str] = []

    def later(candidate: date | None, reason: str) -> None:
        nonlocal due
        reasons.append(reason)
        if candidate is None or due is None:
            due = None
        else:
            due = max(due, candidate)

    order = remedy_life(events, rules, codes=ORDER_REMEDY)
    if order is not None and order.covers(plain):
        later(order.final_on, f"art. 5:35 lid 2 Awb: op {plain:%d-%m-%Y} {order.stage} tegen de last")
    # 5:37a(2): a request to collect pending on that day
    requested = [ev for ev in scoped if ev.code == "verzoek_invordering" and ev.date <= plain]
    if requested:
        decided = [
            ev
            for ev in scoped
            if ev.code == "beslissing_verzoek_invordering" and ev.date >= requested[-1].date
        ]
        if not decided or decided[-1].date >= plain:
            life = remedy_life(scoped, rules, codes=REFUSAL_REMEDY) if decided else None
            final = life.final_on if life else None
            later(final, f"art. 5:37a lid 2 Awb: op {plain:%d-%m-%Y} verzoek om invordering aanhangig")
        else:
            # 5:37a(3): a remedy against the refusal open or pending on that day
            life = remedy_life(scoped, rules, codes=REFUSAL_REMEDY)
            granted = bool((decided[-1].params or {}).get("toegewezen"))
            if life is not None and not granted and life.covers(plain):
                later(
                    life.final_on,
                    f"art. 5:37a lid 3 Awb: op {plain:%d-%m-%Y} {life.stage} tegen de weigering",
                )
    # 5:37a(4): suspension of the beschikking tot invordering by the voorzieningenrechter
    suspended = [ev for ev in scoped if ev.code == "schorsing_invordering" and ev.date <= plain]
    if suspended:
        began = suspended[-1]
        ends = [ev for ev in scoped if ev.code == "schorsing_invordering_einde" and ev.date >= began.date]
        if not ends:
            later(
                None,
                f"art. 5:37a lid 4 Awb: op {plain:%d-%m-%Y} invordering geschorst door de voorzieningenrechter",
            )
        elif ends[0].date > plain:
            length = (ends[0].date - began.date).days
            later(
                plain + timedelta(days=length),
                f"art. 5:37a lid 4 Awb: geschorst van {began.date:%d-%m-%Y} tot {ends[0].date:%d-%m-%Y} "
                f"({length} dagen)",
            )
    return Limitation(plain, due, start, tuple(reasons))


def limitation_date(
    forfeited_on: date,
    rule_like: RuleLike,
    *,
    events: Sequence[Event] = (),
    pause: bool = True,
    interrupted_on: date | None = None,
    rules: Mapping[str, RuleLike] | None = None,
    number: int | None = None,
) -> tuple[date, bool]:
    """(due date, paused) for callers that need one date: while the extension's end is not
    known yet the plain date is returned with ``paused=True`` (the claim is at least that long
    collectable)."""
    table = dict(rules or {})
    table[LOD_VERJARING] = rule_like
    result = limitation(
        forfeited_on, table, events=events, number=number, interrupted_on=interrupted_on, extend=pause
    )
    assert result is not None
    return (result.due or result.plain), result.paused


def _signal_date(limit_due: date, limit_rule: RuleLike, signal_rule: RuleLike) -> date:
    """An early warning counted back from the actual limitation date: the 9-month signal of a
    one-year limitation comes three months before it, whatever extended the limitation."""
    months = (limit_rule.months or 0) - (signal_rule.months or 0)
    days = (
        (limit_rule.days or 0)
        + 7 * (limit_rule.weeks or 0)
        - (signal_rule.days or 0)
        - 7 * (signal_rule.weeks or 0)
    )
    back = subtract_period(limit_due, months=max(months, 0))
    return back - timedelta(days=days) if days > 0 else back


def forfeiture_deadlines(
    *,
    number: int,
    forfeited_on: date,
    rules: Mapping[str, RuleLike],
    paid: bool = False,
    invordering_on: date | None = None,
    aanmaning_on: date | None = None,
    events: Sequence[Event] = (),
    pause: bool = True,
) -> list[DeadlineSpec]:
    """The clocks of one forfeiture (DOMAIN §1.3): payment due 6 weeks after the forfeiture
    (Awb 5:33), the aanmaning term (Awb 4:112), limitation (5:35, 5:37a) and the early warnings
    three months and one month before the actual limitation date. All are done once the amount
    is paid; while the limitation's extension has no end yet, it and its warnings are paused."""
    out: list[DeadlineSpec] = []
    prefix = f"verbeurte:{number}:"
    if LOD_BETALING in rules:
        out.append(
            DeadlineSpec(
                prefix + "betaling",
                LOD_BETALING,
                compute(rules[LOD_BETALING], forfeited_on),
                paid,
                start=forfeited_on,
            )
        )
    if aanmaning_on and AANMANING in rules:
        out.append(
            DeadlineSpec(
                prefix + "aanmaning",
                AANMANING,
                compute(rules[AANMANING], aanmaning_on),
                paid,
                start=aanmaning_on,
            )
        )
    lim = limitation(
        forfeited_on, rules, events=events, number=number, interrupted_on=invordering_on, extend=pause
    )
    if lim is None:
        return out
    due = lim.due or lim.plain
    note = "; ".join(lim.reasons)
    if lim.paused:
        note = (
            note + "; " if note else ""
        ) + "verlengd tot onherroepelijk is beslist (datum nog niet bekend)"
    out.append(
        DeadlineSpec(prefix + "verjaring", LOD_VERJARING, due, paid, lim.paused, start=lim.start, note=note)
    )
    for code in (LOD_SIGNAAL_9M, LOD_SIGNAAL_11M):
        if code in rules:
            out.append(
                DeadlineSpec(
                    prefix + code,
                    code,
                    _signal_date(due, rules[LOD_VERJARING], rules[code]),
                    paid,
                    lim.paused,
                    start=lim.start,
                    note="geteld vanaf de verjaringsdatum",
                )
            )
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
    "limitation",
    "limitation_date",
    "next_open",
    "procedure_deadlines",
    "remedy_life",
]
