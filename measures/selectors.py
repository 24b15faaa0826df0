"""Reads for the measures app: permission-filtered querysets (STYLE.md rule 3)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from vik.core.access import restrict, visible_only, visible_q
from vik.core.deadline_rules import DeadlineRuleRow
from vik.core.models import User

from .constants import FINAL_STATES, MeasureKind
from .models import Deadline, DeadlineRule, EscalationMatrix, Measure, Receivable


def measure_list(
    *, user: User, kind: str = "", state: str = "", active_only: bool = False
) -> QuerySet[Measure]:
    qs = restrict(Measure.objects.all(), user).select_related(
        "address", "person", "organisation", "responsible"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if active_only:
        qs = qs.exclude(state__in=FINAL_STATES)
    return qs.order_by("-created_at", "-id")


def measure_events(measure: Measure):
    return measure.events.select_related("actor").order_by("seq")


def measure_deadlines(measure: Measure) -> QuerySet[Deadline]:
    return measure.deadlines.select_related("rule", "responsible", "forfeiture").order_by("due_date", "id")


def next_deadline(measure: Measure, *, today: date) -> Deadline | None:
    """The deadline to show prominently: the first open one that still runs, or an action
    deadline that has passed (an expired term of someone else is no longer "next")."""
    return (
        measure_deadlines(measure)
        .filter(done=False, paused=False)
        .filter(Q(due_date__gte=today) | Q(rule__requires_action=True))
        .first()
    )


def deadline_list(*, user: User) -> QuerySet[Deadline]:
    """Deadlines of measures the user may see."""
    return Deadline.objects.filter(visible_q(user, Measure, prefix="measure__")).select_related(
        "measure", "rule"
    )


@dataclass
class MyDeadlines:
    overdue: list[Deadline] = field(default_factory=list)
    today: list[Deadline] = field(default_factory=list)
    this_week: list[Deadline] = field(default_factory=list)
    expired_today: list[Deadline] = field(default_factory=list)


def my_deadlines(*, user: User, today: date, horizon_days: int = 7) -> MyDeadlines:
    """ "Mijn termijnen": open deadlines the user is responsible for, on measures they may see:
    overdue (actions only; a term of someone else that expired is not overdue), today, and the
    coming week."""
    qs = (
        deadline_list(user=user)
        .filter(
            responsible=user, done=False, paused=False, due_date__lte=today + timedelta(days=horizon_days)
        )
        .exclude(measure__state__in=FINAL_STATES)
        .order_by("due_date", "id")
    )
    out = MyDeadlines()
    for d in qs:
        if d.due_date < today:
            if d.rule.requires_action:
                out.overdue.append(d)
        elif d.due_date == today:
            out.today.append(d)
        else:
            out.this_week.append(d)
    return out


def deadline_rule_rows(codes: list[str]) -> list[DeadlineRuleRow]:
    """The rule rows with these codes as plain values: the source registered with
    ``vik.core.deadline_rules`` (Bibob's terms and the letters read the table through it)."""
    return [
        DeadlineRuleRow(
            code=r.code,
            label=r.label,
            days=r.days,
            weeks=r.weeks,
            months=r.months,
            atw=r.atw,
            legal_basis=r.legal_basis,
            verification=r.verification,
        )
        for r in DeadlineRule.objects.filter(code__in=codes)
    ]


def rule_list() -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.order_by("code")


def matrix_list() -> QuerySet[EscalationMatrix]:
    return EscalationMatrix.objects.prefetch_related("steps").order_by("-effective_from")


def receivable_list(*, user: User, year: int | None = None, kind: str = "") -> QuerySet[Receivable]:
    qs = restrict(Receivable.objects.all(), user).select_related("measure", "person", "organisation")
    if year:
        qs = qs.filter(origin_date__year=year)
    if kind:
        qs = qs.filter(measure__kind=kind)
    return qs


def receivable_clocks(rows: list[Receivable]) -> None:
    """Attach the payment term and the limitation of each ledger row (one query): a forfeited
    penalty has its forfeiture's clocks (Awb 5:33, 5:35/5:37a), bestuursdwang costs the
    measure's (Awb 4:87, 4:104). Sets ``pay_due``, ``limitation_due`` and ``limitation_paused``."""
    from . import deadlines as dl

    measure_ids = {r.measure_id for r in rows if r.measure_id}
    found: dict[tuple, Deadline] = {}
    codes = [dl.LOD_BETALING, dl.LOD_VERJARING, dl.LOB_KOSTEN_BETALING, dl.LOB_KOSTEN_VERJARING]
    for d in Deadline.objects.filter(measure_id__in=measure_ids, rule__code__in=codes).select_related("rule"):
        found[(d.measure_id, d.forfeiture_id, d.rule.code)] = d
    for r in rows:
        if r.forfeiture_id:
            pay = found.get((r.measure_id, r.forfeiture_id, dl.LOD_BETALING))
            lim = found.get((r.measure_id, r.forfeiture_id, dl.LOD_VERJARING))
        else:
            pay = found.get((r.measure_id, None, dl.LOB_KOSTEN_BETALING))
            lim = found.get((r.measure_id, None, dl.LOB_KOSTEN_VERJARING))
        r.pay_due = pay.due_date if pay else None  # type: ignore[attr-defined]
        r.limitation_due = lim.due_date if lim else None  # type: ignore[attr-defined]
        r.limitation_paused = bool(lim and lim.paused)  # type: ignore[attr-defined]


ZERO = Decimal("0.00")


@dataclass
class Totals:
    forfeited: Decimal = ZERO
    invoiced: Decimal = ZERO
    collected: Decimal = ZERO
    written_off: Decimal = ZERO
    time_barred: Decimal = ZERO
    outstanding: Decimal = ZERO

    def add(self, r: Receivable) -> None:
        self.forfeited += r.amount
        if r.invoiced_on:
            self.invoiced += r.amount
        self.collected += r.collected
        self.written_off += r.written_off
        if r.time_barred_on:
            self.time_barred += r.outstanding
        else:
            self.outstanding += r.outstanding


def receivable_totals(
    *, user: User, year: int | None = None
) -> tuple[Totals, dict[int, Totals], dict[str, Totals]]:
    """Afpak totals: overall, per year (of origin) and per measure kind, in Decimal euros."""
    overall = Totals()
    per_year: dict[int, Totals] = defaultdict(Totals)
    per_kind: dict[str, Totals] = defaultdict(Totals)
    for r in receivable_list(user=user, year=year):
        overall.add(r)
        per_year[r.origin_date.year].add(r)
        label = MeasureKind(r.measure.kind).label if r.measure_id else r.get_kind_display()  # type: ignore[union-attr]
        per_kind[str(label)].add(r)
    return overall, dict(sorted(per_year.items(), reverse=True)), dict(sorted(per_kind.items()))


def forfeited_sum(measure: Measure) -> Decimal:
    return measure.forfeitures.aggregate(t=Sum(F("amount")))["t"] or ZERO


def with_next_due(qs: QuerySet[Measure], *, today: date) -> QuerySet[Measure]:
    """Annotate each measure with ``next_due`` and ``next_due_label``: the deadline that
    :func:`next_deadline` would show (first open, unpaused one that still runs, or a passed action
    deadline), in one subquery per column, for list pages."""
    from django.db.models import OuterRef, Subquery

    first = (
        Deadline.objects.filter(measure=OuterRef("pk"), done=False, paused=False)
        .filter(Q(due_date__gte=today) | Q(rule__requires_action=True))
        .order_by("due_date", "id")
    )
    return qs.annotate(
        next_due=Subquery(first.values("due_date")[:1]),
        next_due_label=Subquery(first.values("label")[:1]),
    )


SUBJECT_FIELDS = ("address", "person", "organisation")


def with_shown_subjects(*, user: User, rows: list, purpose_of) -> list[tuple[object, str]]:
    """Decide what each row (a measure, a receivable) shows of its related subjects: a subject
    is shown when the user's own subject page would open it (docs/authorization.md, "Related
    subjects"); any other is counted as hidden, without name. Sets ``row.shown_subjects`` and
    ``row.hidden_subjects``; returns the (subject, purpose) pairs the page must log as read."""
    related = [getattr(row, f, None) for row in rows for f in SUBJECT_FIELDS]
    visible = {(type(obj), obj.pk) for obj in visible_only(user, related)}
    shown = []
    for row in rows:
        row.shown_subjects, row.hidden_subjects = [], 0
        for f in SUBJECT_FIELDS:
            obj = getattr(row, f, None)
            if obj is None:
                continue
            if (type(obj), obj.pk) in visible:
                row.shown_subjects.append(obj)
                shown.append((obj, purpose_of(row)))
            else:
                row.hidden_subjects += 1
    return shown
