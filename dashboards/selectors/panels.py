"""The dashboards: panels of figures, the management view over the rollup, figures by key."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, DateField, F, QuerySet, Value
from django.utils.translation import gettext as _

from signals.models import Phenomenon, Signal, SignalSource
from vik.core.access import clearances
from vik.core.db_router import read_cursor
from vik.core.models import User

from ..constants import AreaLevel
from ..models import Area, RollupState, SignalRollup
from .analysis import measures_taken, trend
from .common import DashFilters, Figure, _choices
from .measures import fig_afpak, fig_deadlines_due, fig_measures_and_closures, fig_measures_kind_state
from .partners import fig_action_items, fig_bibob
from .signals import _counted, _month_matrix, fig_lead_times, fig_signals_per_month, fig_signals_source_status

# --- dashboards ----------------------------------------------------------------------------------


def signal_figures(*, user: User, f: DashFilters) -> list[Figure]:
    """The signal figures, shown in the dashboard page itself: three queries."""
    source, status = fig_signals_source_status(user=user, f=f)
    return [fig_signals_per_month(user=user, f=f), source, status, fig_lead_times(user=user, f=f)]


def measure_figures(*, user: User, f: DashFilters) -> list[Figure]:
    """Measures, closures, deadlines and the afpak ledger (a lazily loaded panel): three queries."""
    kind_state, closures = fig_measures_and_closures(user=user, f=f)
    return [kind_state, closures, fig_deadlines_due(user=user, f=f), fig_afpak(user=user, f=f)]


def partner_figures(*, user: User, f: DashFilters) -> list[Figure]:
    """Casustafel action items and Bibob, shown in the page itself: at most two queries."""
    return [fig_action_items(user=user, f=f)] + fig_bibob(user=user)


#: The analyst's dashboard in panels, in the order shown. The page renders "signals" and
#: "partners" itself; "measures" is loaded by htmx from ``dashboards:panel_measures`` so that
#: neither request runs more than its query budget.
PANELS = {"signals": signal_figures, "measures": measure_figures, "partners": partner_figures}
PANEL_KEYS = {
    "signals": {"signals_month", "signals_source", "signals_status", "lead_times"},
    "measures": {"measures_kind_state", "closures_active", "deadlines_due", "afpak"},
    "partners": {"action_items", "bibob_branch", "bibob_outcome"},
}


def analyst_figures(*, user: User, f: DashFilters) -> list[Figure]:
    return [fig for panel in PANELS.values() for fig in panel(user=user, f=f)]


def rollup_rows(*, user: User, f: DashFilters) -> QuerySet:
    """Rollup rows in the viewer's compartments, filtered. Area: the signal's buurt."""
    qs = SignalRollup.objects.filter(compartment__in=clearances(user))
    if f.date_from:
        qs = qs.filter(month__gte=f.date_from.replace(day=1))
    if f.date_to:
        qs = qs.filter(month__lte=f.date_to)
    if f.area:
        prefix = {"GM": "BU" + f.area[2:6], "WK": "BU" + f.area[2:8], "BU": f.area}.get(f.area[:2], "-")
        qs = qs.filter(buurt_code__startswith=prefix)
    if f.team:
        qs = qs.filter(owner_team=f.team)
    return qs.order_by()


def management_figures(*, user: User, f: DashFilters) -> list[Figure]:
    """Counts over all teams (within the viewer's compartments) from the rollup; counts from 1 to 4
    are hidden, and so many more cells (complementary suppression, dashboards.suppression) that
    no hidden cell can be worked back from a total: neither from the row, column and grand totals
    of its own figure, nor from another figure of the same base (per source, per status and per
    wijk all add up to the same number of signals; each series is protected as if that total
    were shown). No totals are shown.

    The four rollup figures come from ONE scan of the rollup (GROUP BY GROUPING SETS: at L a
    year holds ~250k rollup rows, and the former UNION ALL of four groupings read them four
    times), their labels from one more query and the measures figure from one more."""
    qs = rollup_rows(user=user, f=f)
    base = qs.filter(phenomenon=f.phenomenon) if f.phenomenon else qs
    rows = _rollup_groupings(base, primary_only=not f.phenomenon)
    no_date = Value(None, output_field=DateField())
    text = CharField()  # type: ignore[var-annotated]

    def labels(kind: str, base: QuerySet, key: str, label: str, num=None) -> QuerySet:
        return (
            base.annotate(
                k=Value(kind, output_field=text), mo=no_date, key=F(key), lab=F(label), num=num or Value(0)
            )
            .values_list("k", "mo", "key", "lab", "num")
            .order_by()
        )

    parts = [
        labels("wijk_name", Area.objects.filter(level=AreaLevel.WIJK), "code", "name", F("year")),
        labels("phenomenon_label", Phenomenon.objects.all(), "code", "label"),
        labels("source_label", SignalSource.objects.all(), "code", "label"),
    ]
    for kind, month, key, label, n in parts[0].union(*parts[1:], all=True):
        rows.setdefault(kind, []).append((month, key, label, n))
    phen_labels = {key: label for _m, key, label, _n in rows.get("phenomenon_label", [])}
    source_labels = {key: label for _m, key, label, _n in rows.get("source_label", [])}
    wijk_labels = {}
    for _m, code, name, _year in sorted(rows.get("wijk_name", []), key=lambda r: r[3]):
        wijk_labels[code] = f"{name} ({code})"  # the latest year's name
    month = [(m, phen_labels.get(p, p), n) for m, p, _l, n in rows.get("month", [])]
    figures = [
        _month_matrix(
            "signals_month",
            _("Signalen per maand en fenomeen"),
            month,
            note=_("Een signaal met meer fenomenen telt bij elk fenomeen mee."),
            suppressed=True,
        ),
        _counted(
            "signals_source",
            _("Signalen per bron"),
            _("Bron"),
            [(key, n) for _m, key, _l, n in rows.get("source", [])],
            source_labels,
            suppressed=True,
        ),
        _counted(
            "signals_status",
            _("Signalen per status"),
            _("Status"),
            [(key, n) for _m, key, _l, n in rows.get("status", [])],
            _choices(Signal, "status"),
            suppressed=True,
        ),
        _counted(
            "signals_wijk",
            _("Signalen per wijk"),
            _("Wijk"),
            [(key, n) for _m, key, _l, n in rows.get("wijk", [])],
            wijk_labels,
            suppressed=True,
        ),
        fig_measures_kind_state(user=user, f=f, suppressed=True),
    ]
    return figures


#: GROUPING() of (month, phenomenon, source, status, wijk_code): a bit is 1 where the column is
#: not part of the grouping set.
_GROUPINGS = {0b00111: "month", 0b11011: "source", 0b11101: "status", 0b11110: "wijk"}


def _rollup_groupings(base: QuerySet, *, primary_only: bool) -> dict[str, list]:
    """Sums of the rollup rows ``base`` per (month, phenomenon), per source, per status and per
    wijk, from one scan. The month × phenomenon figure counts every row (a signal with several
    phenomena counts once per phenomenon); the other three count each signal once: its primary
    row, or (``primary_only`` False, filtered on one phenomenon) every row. A grouping without
    any counted row is left out, as the separate GROUP BY queries did."""
    try:
        inner, params = (
            base.values_list("month", "phenomenon", "primary", "source", "status", "wijk_code", "n")
            .order_by()
            .query.sql_with_params()
        )
    except EmptyResultSet:  # no compartment cleared
        return {}
    sql = f"""
        SELECT GROUPING(t.month, t.phenomenon, t.source, t.status, t.wijk_code), t.month, t.phenomenon,
               t.source, t.status, t.wijk_code, sum(t.n), sum(t.n) FILTER (WHERE t."primary")
        FROM ({inner}) AS t (month, phenomenon, "primary", source, status, wijk_code, n)
        GROUP BY GROUPING SETS ((t.month, t.phenomenon), (t.source), (t.status), (t.wijk_code))
    """  # noqa: S608 - Django's own SQL with bound parameters
    with read_cursor() as cur:
        cur.execute(sql, params)
        raw = cur.fetchall()
    rows: dict[str, list] = {}
    for g, month, phen, source, status, wijk, n_all, n_primary in raw:
        kind = _GROUPINGS[g]
        if kind == "month":
            rows.setdefault(kind, []).append((month, phen, "", n_all))
            continue
        n = n_primary if primary_only else n_all
        key = {"source": source, "status": status, "wijk": wijk}[kind]
        if not n or (kind == "wijk" and not key):
            continue
        rows.setdefault(kind, []).append((None, key, "", n))
    return rows


def rollup_state() -> RollupState | None:
    return RollupState.objects.first()


FIGURES = {
    "signals_month",
    "signals_source",
    "signals_status",
    "lead_times",
    "measures_kind_state",
    "closures_active",
    "deadlines_due",
    "afpak",
    "action_items",
    "bibob_branch",
    "bibob_outcome",
    "signals_wijk",
    "analysis_trend",
    "analysis_measures",
}


def figure_by_key(*, user: User, f: DashFilters, key: str, management: bool) -> Figure | None:
    if key == "analysis_trend" and not management:
        return trend(user=user, f=f)
    if key == "analysis_measures" and not management:
        return measures_taken(user=user, f=f)
    if management:
        figures = management_figures(user=user, f=f)
    else:
        panel = next((name for name, keys in PANEL_KEYS.items() if key in keys), None)
        figures = PANELS[panel](user=user, f=f) if panel else []
    return next((fig for fig in figures if fig.key == key), None)
