"""Figures over signals (live, need-to-know)."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from measures.models import Measure, MeasureEvent
from signals.models import Signal, SignalStatusChange, SignalSubject
from vik.core.access import visible_q
from vik.core.db_router import read_cursor
from vik.core.models import User

from .common import (
    DashFilters,
    Figure,
    _area_q,
    _choices,
    _month_label,
    _phenomenon_q,
    suppress_series,
    suppress_table,
)

# --- signals (live, need-to-know) ----------------------------------------------------------------


def signals_visible(*, user: User, f: DashFilters) -> QuerySet:
    """The signals behind every signal figure: visible to ``user``, filtered like the signal list
    (area: any linked address in the area)."""
    qs = Signal.objects.filter(visible_q(user, Signal))
    if f.date_from:
        qs = qs.filter(received_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_date__lte=f.date_to)
    if f.phenomenon:
        through = Signal.phenomena.through
        qs = qs.filter(Exists(through.objects.filter(_phenomenon_q(f), signal_id=OuterRef("pk"))))
    if f.area:
        qs = qs.filter(
            Exists(SignalSubject.objects.filter(_area_q("address__", f.area), signal_id=OuterRef("pk")))
        )
    if f.team:
        qs = qs.filter(owner_team=f.team)
    return qs.order_by()


def fig_signals_per_month(*, user: User, f: DashFilters) -> Figure:
    qs = signals_visible(user=user, f=f)
    through = Signal.phenomena.through
    raw = (
        through.objects.filter(signal_id__in=qs.values("id"))  # type: ignore[misc]
        .annotate(m=TruncMonth("signal__received_date"))
        .values_list("m", "phenomenon__label")
        .annotate(n=Count("signal_id"))
        .order_by()
    )
    return _month_matrix(
        "signals_month",
        _("Signalen per maand en fenomeen"),
        list(raw),
        note=_("Een signaal met meer fenomenen telt bij elk fenomeen mee."),
    )


def _month_matrix(
    key: str, title: str, raw: list[tuple], *, note: str = "", suppressed: bool = False
) -> Figure:
    months = sorted({m for m, _p, _n in raw})
    series = sorted({p or _("(geen fenomeen)") for _m, p, _n in raw})
    cell = {}  # type: ignore[var-annotated]
    for m, p, n in raw:
        k = (m, p or _("(geen fenomeen)"))
        cell[k] = cell.get(k, 0) + n
    values = [[cell.get((m, s), 0) for s in series] for m in months]
    if suppressed:
        values = suppress_table(values)
    rows = [[_month_label(m)] + v for m, v in zip(months, values, strict=True)]
    return Figure(key, title, [_("Maand")] + series, rows, chart="stacked", note=note)


def _counted(
    key: str, title: str, label: str, raw, labels: dict | None = None, *, suppressed: bool = False
) -> Figure:
    ordered = sorted(raw, key=lambda r: (-r[1], str(r[0])))
    counts = [n for _value, n in ordered]
    if suppressed:
        counts = suppress_series(counts)
    rows = []
    for (value, _n), n in zip(ordered, counts, strict=True):
        text = (labels or {}).get(value, value) or "—"
        rows.append([str(text), n])
    if suppressed:  # hidden rows last, by label: their place among the counts would bound them
        rows.sort(key=lambda r: (isinstance(r[1], str), r[0] if isinstance(r[1], str) else ""))
    return Figure(key, title, [label, _("Aantal signalen")], rows)


def fig_signals_source_status(*, user: User, f: DashFilters) -> tuple[Figure, Figure]:
    """Signals per source and per status from ONE query grouped by (source, status)."""
    qs = signals_visible(user=user, f=f)
    raw = list(qs.values_list("source__label", "status").annotate(n=Count("id")).order_by())
    per_source: dict = {}
    per_status: dict = {}
    for label, status, n in raw:
        per_source[label] = per_source.get(label, 0) + n
        per_status[status] = per_status.get(status, 0) + n
    return (
        _counted("signals_source", _("Signalen per bron"), _("Bron"), list(per_source.items())),
        _counted(
            "signals_status",
            _("Signalen per status"),
            _("Status"),
            list(per_status.items()),
            _choices(Signal, "status"),
        ),
    )


def fig_signals_per_source(*, user: User, f: DashFilters) -> Figure:
    return fig_signals_source_status(user=user, f=f)[0]


def fig_signals_per_status(*, user: User, f: DashFilters) -> Figure:
    return fig_signals_source_status(user=user, f=f)[1]


def fig_lead_times(*, user: User, f: DashFilters) -> Figure:
    """Median days from receipt to the first event of a visible measure linked to the signal, and
    to the casustafel's decision (the first status change away from 'on the casustafel agenda')."""
    qs = signals_visible(user=user, f=f)
    first_measure = Subquery(
        MeasureEvent.objects.filter(
            visible_q(user, Measure, prefix="measure__"), measure__signals=OuterRef("pk")
        )
        .order_by("date")
        .values("date")[:1]
    )
    qs = qs.annotate(first_measure=first_measure)
    decision = Subquery(
        SignalStatusChange.objects.filter(signal_id=OuterRef("pk"), from_status="CASUSTAFEL_AGENDA")
        .order_by("at")
        .values("at")[:1]
    )
    qs = qs.annotate(decided_at=decision).values_list("received_date", "decided_at", "first_measure")
    # The per-signal dates in a derived table, aggregated outside it: PostgreSQL runs a correlated
    # subquery once per reference, and the aggregates below refer to each date two or three times
    # (six index walks per visible signal instead of two). OFFSET 0 keeps PostgreSQL from
    # flattening the derived table back into the aggregate (measured: it did). The casts: a subquery that cannot match
    # (no permission on measures) is compiled as an untyped NULL.
    try:
        inner, params = qs.query.sql_with_params()
    except EmptyResultSet:  # no signal can be visible
        inner, params = "SELECT NULL::date, NULL::timestamptz, NULL::date WHERE false", ()
    sql = f"""
        SELECT date_trunc('month', t.received_date)::date AS m,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY first_measure::date - received_date)
                   FILTER (WHERE first_measure IS NOT NULL) AS mea,
               count(*) FILTER (WHERE first_measure IS NOT NULL) AS mea_n,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY (decided_at::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date - received_date
               ) FILTER (WHERE decided_at IS NOT NULL) AS dec,
               count(*) FILTER (WHERE decided_at IS NOT NULL) AS dec_n
        FROM ({inner} OFFSET 0) AS t (received_date, decided_at, first_measure)
        GROUP BY 1 ORDER BY 1
    """  # noqa: S608 - the inner query is Django's own SQL with bound parameters
    with read_cursor() as cur:
        cur.execute(sql, params)
        raw = [dict(zip(("m", "mea", "mea_n", "dec", "dec_n"), row, strict=True)) for row in cur.fetchall()]
    rows = []
    for r in raw:
        if not r.get("mea_n") and not r["dec_n"]:
            continue
        rows.append([_month_label(r["m"]), r.get("mea"), r.get("mea_n", 0), r["dec"], r["dec_n"]])
    return Figure(
        "lead_times",
        _("Doorlooptijd in dagen (mediaan) per maand van ontvangst"),
        [
            _("Maand"),
            _("Dagen tot eerste maatregel"),
            _("Signalen met maatregel"),
            _("Dagen tot besluit casustafel"),
            _("Signalen met besluit"),
        ],
        rows,
        chart="line",
        chart_columns=[1, 3],
        unit=_("dagen"),
        note=_(
            "Eerste maatregel: de eerste gebeurtenis van een maatregel die aan het signaal is gekoppeld. "
            "Besluit casustafel: de eerste statuswijziging vanaf 'op agenda casustafel'."
        ),
    )
