"""Figures over measures, closures, deadlines and the afpakken ledger (live, need-to-know)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Deadline, Measure, Receivable
from signals.models import Signal
from vik.core.access import clearances, visible_q
from vik.core.models import User

from .common import ZERO, DashFilters, Figure, _area_q, _choices, _phenomenon_q, suppress_table

# --- measures ------------------------------------------------------------------------------------


def measures_visible(*, user: User, f: DashFilters, period: bool = True) -> QuerySet | None:
    qs = Measure.objects.filter(visible_q(user, Measure))
    if period and f.date_from:
        qs = qs.filter(created_at__date__gte=f.date_from)
    if period and f.date_to:
        qs = qs.filter(created_at__date__lte=f.date_to)
    if f.phenomenon:
        through = Signal.phenomena.through
        msig = Measure.signals.through
        qs = qs.filter(
            Exists(
                msig.objects.filter(
                    measure_id=OuterRef("pk"),
                    signal_id__in=through.objects.filter(_phenomenon_q(f)).values("signal_id"),
                )
            )
        )
    if f.area:
        qs = qs.filter(_area_q("address__", f.area))
    if f.team:
        qs = qs.filter(owner_team=f.team)
    return qs.order_by()


def fig_measures_kind_state(*, user: User, f: DashFilters, suppressed: bool = False) -> Figure:
    qs = measures_visible(user=user, f=f) if not suppressed else measures_all_cleared(user=user, f=f)
    if qs is None:
        return _no_measures("measures_kind_state", _("Maatregelen per soort en fase"))
    raw = list(qs.values_list("kind", "state").annotate(n=Count("id")).order_by())
    return _kind_state_figure(raw, suppressed=suppressed)


def _no_measures(key: str, title: str) -> Figure:
    return Figure(key, title, [_("Soort")], note=_("Maatregelen zijn nog niet beschikbaar."))


def _kind_state_figure(raw: list[tuple], *, suppressed: bool = False) -> Figure:
    """``raw``: (kind, state, n) with n > 0."""
    kinds, states = _choices(Measure, "kind"), _choices(Measure, "state")
    used_states = [s for s in states if any(r[1] == s for r in raw)]
    cell = {(k, s): n for k, s, n in raw}
    used_kinds = [k for k in kinds if any(cell.get((k, s), 0) for s in used_states)]
    values = [[cell.get((k, s), 0) for s in used_states] for k in used_kinds]
    if suppressed:
        values = suppress_table(values)
    rows = [[kinds[k]] + v for k, v in zip(used_kinds, values, strict=True)]
    return Figure(
        "measures_kind_state",
        _("Maatregelen per soort en fase"),
        [_("Soort")] + [states[s] for s in used_states],
        rows,
        chart="stacked",
        note=_("Periode: maatregelen aangemaakt in de gekozen periode."),
    )


def measures_all_cleared(*, user: User, f: DashFilters) -> QuerySet | None:
    """Management view: all teams, but only the compartments the viewer is cleared for."""
    qs = Measure.objects.filter(compartment__in=clearances(user))
    if f.date_from:
        qs = qs.filter(created_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(created_at__date__lte=f.date_to)
    if f.area:
        qs = qs.filter(_area_q("address__", f.area))
    if f.team:
        qs = qs.filter(owner_team=f.team)
    return qs.order_by()


def _closure_kinds() -> tuple[set[str], str]:
    try:
        from measures.constants import CLOSURE_KINDS, MeasureState

        return {str(k) for k in CLOSURE_KINDS}, str(MeasureState.CLOSED_ACTIVE)
    except ImportError:
        return set(), "gesloten"


def fig_closures_active(*, user: User, f: DashFilters) -> Figure:
    qs = measures_visible(user=user, f=f, period=False)
    if qs is None:
        return _no_measures("closures_active", _("Sluitingen die nu van kracht zijn"))
    kinds, closed = _closure_kinds()
    raw = qs.filter(kind__in=kinds, state=closed).values_list("kind").annotate(n=Count("id")).order_by()
    return _closures_figure([(k, n) for k, n in raw])


def _closures_figure(raw: list[tuple]) -> Figure:
    """``raw``: (kind, n) of the closures in force."""
    labels = _choices(Measure, "kind")
    rows = [[labels.get(k, k), n] for k, n in sorted(raw, key=lambda r: (-r[1], str(r[0]))) if n]
    return Figure(
        "closures_active",
        _("Sluitingen die nu van kracht zijn"),
        [_("Soort"), _("Aantal")],
        rows,
        note=_("Stand van vandaag; de periode telt niet mee."),
    )


def fig_measures_and_closures(*, user: User, f: DashFilters) -> tuple[Figure, Figure]:
    """Measures per kind and phase (created in the period) and the closures in force today (any
    period) from ONE query: grouped by (kind, state) over the visible measures without the
    period filter, the period applied as a conditional count."""
    qs = measures_visible(user=user, f=f, period=False)
    if qs is None:
        return (
            _no_measures("measures_kind_state", _("Maatregelen per soort en fase")),
            _no_measures("closures_active", _("Sluitingen die nu van kracht zijn")),
        )
    period = Q()
    if f.date_from:
        period &= Q(created_at__date__gte=f.date_from)
    if f.date_to:
        period &= Q(created_at__date__lte=f.date_to)
    in_period = Count("id", filter=period) if period else Count("id")
    raw = list(qs.values_list("kind", "state").annotate(in_period=in_period, total=Count("id")).order_by())
    kinds, closed = _closure_kinds()
    return (
        _kind_state_figure([(k, s, n) for k, s, n, _t in raw if n]),
        _closures_figure([(k, t) for k, s, _n, t in raw if k in kinds and s == closed]),
    )


def fig_deadlines_due(*, user: User, f: DashFilters, today: date | None = None) -> Figure:
    title = _("Termijnen die aflopen")
    today = today or timezone.localdate()
    qs = Deadline.objects.filter(
        visible_q(user, Measure, prefix="measure__"), done=False, paused=False, rule__requires_action=True
    )
    if f.area:
        qs = qs.filter(_area_q("measure__address__", f.area))
    if f.team:
        qs = qs.filter(measure__owner_team=f.team)
    raw = (
        qs.values_list("measure__kind")
        .annotate(
            overdue=Count("id", filter=Q(due_date__lt=today)),
            week=Count("id", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=7))),
            month=Count(
                "id",
                filter=Q(due_date__gt=today + timedelta(days=7), due_date__lte=today + timedelta(days=30)),
            ),
        )
        .order_by()
    )
    labels = _choices(Measure, "kind")
    rows = [[labels.get(k, k), o, w, m] for k, o, w, m in raw if o or w or m]
    return Figure(
        "deadlines_due",
        title,
        [_("Soort maatregel"), _("Verlopen"), _("Binnen 7 dagen"), _("Binnen 8–30 dagen")],
        rows,
        chart="stacked",
        note=_("Termijnen die actie van de gemeente vragen; stand van vandaag."),
    )


def fig_afpak(*, user: User, f: DashFilters) -> Figure:
    title = _("Bestuurlijk afpakken per jaar (EUR)")
    columns = [_("Jaar"), _("Verbeurd / opgelegd"), _("Geïnd"), _("Openstaand"), _("Verjaard")]
    qs = Receivable.objects.filter(visible_q(user, Receivable))
    if f.date_from:
        qs = qs.filter(origin_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(origin_date__lte=f.date_to)
    if f.team:
        qs = qs.filter(owner_team=f.team)
    if f.area:
        qs = qs.filter(_area_q("measure__address__", f.area))
    rest = F("amount") - F("collected") - F("written_off")
    raw = (
        qs.annotate(y=ExtractYear("origin_date"))
        .values("y")
        .annotate(
            sum_total=Sum("amount"),
            sum_collected=Sum("collected"),
            sum_outstanding=Sum(rest, filter=Q(time_barred_on__isnull=True)),
            sum_barred=Sum(rest, filter=Q(time_barred_on__isnull=False)),
        )
        .order_by("y")
    )
    rows = [
        [
            str(r["y"]),
            r["sum_total"] or ZERO,
            r["sum_collected"] or ZERO,
            r["sum_outstanding"] or ZERO,
            r["sum_barred"] or ZERO,
        ]
        for r in raw
    ]
    return Figure(
        "afpak",
        title,
        columns,
        rows,
        unit="EUR",
        note=_(
            "Per jaar van ontstaan van de vordering. Openstaand: nog niet geïnd of afgeboekt en niet verjaard."
        ),
    )
