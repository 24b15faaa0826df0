"""The figures of the dashboards. Every figure counts only rows the viewer may see:
``vik.core.access.visible_q`` on the underlying rows (signals, measures, receivables, deadlines
through their measure), or the compartment-filtered rollup with small cells suppressed for the
management view. Nothing here returns a record; only labels and numbers.

Models of other apps are looked up by name (``apps.get_model``) so that a missing app or model
gives an empty figure with a note instead of an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from vik.core.access import can_use_model, clearances, visible_q
from vik.core.calendar import add_period, subtract_period
from vik.core.models import OrgUnit, User

from .constants import DISPLACEMENT_METRES, DISPLACEMENT_MONTHS, SUPPRESS_BELOW, AreaLevel
from .models import Area, RollupState, SignalRollup
from .suppression import protect, protect_counts

AREA_COLUMNS = {"GM": "gemeente_code", "WK": "wijk_code", "BU": "buurt_code"}
ZERO = Decimal("0.00")


def model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


@dataclass
class DashFilters:
    date_from: date | None = None
    date_to: date | None = None
    phenomenon: str = ""
    area: str = ""
    team: OrgUnit | None = None

    def as_query(self) -> dict:
        data = {
            "van": self.date_from.isoformat() if self.date_from else "",
            "tot": self.date_to.isoformat() if self.date_to else "",
            "fenomeen": self.phenomenon,
            "gebied": self.area,
            "team": self.team.code if self.team else "",
        }
        return {k: v for k, v in data.items() if v}

    def signal_list_query(self, area: str | None = None) -> dict:
        """The same filter in the parameters of the signal list (signals:list)."""
        data = {
            "fenomeen": self.phenomenon,
            "gebied": area if area is not None else self.area,
            "van": self.date_from.isoformat() if self.date_from else "",
            "tot": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in data.items() if v}


@dataclass
class Figure:
    """One chart with its table alternative. ``rows`` are ``[label, value, ...]``; a value is an
    int, a Decimal (euros), a float (days) or the hidden-cell marker (a string, see
    ``suppressed_marker``)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = "bar"  # bar, stacked, line
    chart_columns: list[int] | None = None  # which value columns the chart draws (default: all)
    unit: str = ""
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows

    def display_rows(self) -> list[list[str]]:
        return [[_fmt(v) for v in row] for row in self.rows]

    def chart_data(self) -> dict:
        cols = self.chart_columns or list(range(1, len(self.columns)))
        datasets = []
        for c in cols:
            values = []
            for row in self.rows:
                v = row[c]
                values.append(None if v is None or isinstance(v, str) else float(v))
            datasets.append({"label": self.columns[c], "data": values})
        return {
            "type": self.chart,
            "title": self.title,
            "labels": [str(r[0]) for r in self.rows],
            "datasets": datasets,
            "unit": self.unit,
        }


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, Decimal):
        text = f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        return f"€ {text}"
    if isinstance(v, float):
        return f"{v:.0f}" if not math.isnan(v) else "—"
    return str(v)


def suppressed_marker() -> str:
    """What a hidden cell shows, in pages and exports. One marker for every hidden cell: a
    separate one for the complementary cells would tell which cell is the small one."""
    return _("afgeschermd")  # dashboards.constants.SUPPRESSED


def suppress_table(values: list[list[int]]) -> list[list]:
    """Counts from 1 to 4 hidden, plus complementary cells so that none of them can be worked
    back from the row, column or grand totals (dashboards.suppression; zero stays zero unless
    it is the only complement left)."""
    hidden = protect(values, threshold=SUPPRESS_BELOW, row_totals=True, column_totals=True)
    marker = suppressed_marker()
    return [
        [marker if h else v for v, h in zip(row, mask, strict=True)]
        for row, mask in zip(values, hidden, strict=True)
    ]


def suppress_series(values: list[int]) -> list:
    """One series whose total is known (from this figure's base shown elsewhere)."""
    marker = suppressed_marker()
    hidden = protect_counts(values, threshold=SUPPRESS_BELOW)
    return [marker if h else v for v, h in zip(values, hidden, strict=True)]


class Median(Aggregate):
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_between(later, earlier):
    return Func(later, earlier, template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())


def _local_date(expr):
    return Func(
        expr, template="((%(expressions)s) AT TIME ZONE 'Europe/Amsterdam')::date", output_field=DateField()
    )


def _month_label(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


def _choices(model_cls, field_name: str) -> dict:
    return {k: str(v) for k, v in model_cls._meta.get_field(field_name).choices or []}


def _area_q(prefix: str, code: str) -> Q:
    column = AREA_COLUMNS.get(code[:2])
    if column is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}{column}": code})


# --- signals (live, need-to-know) ----------------------------------------------------------------


def signals_visible(*, user: User, f: DashFilters) -> QuerySet:
    """The signals behind every signal figure: visible to ``user``, filtered like the signal list
    (area: any linked address in the area)."""
    Signal = model("signals.Signal")
    qs = Signal.objects.filter(visible_q(user, Signal))
    if f.date_from:
        qs = qs.filter(received_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_date__lte=f.date_to)
    if f.phenomenon:
        through = Signal.phenomena.through
        qs = qs.filter(
            Exists(through.objects.filter(signal_id=OuterRef("pk"), phenomenon__code=f.phenomenon))
        )
    if f.area:
        SignalSubject = model("signals.SignalSubject")
        qs = qs.filter(
            Exists(SignalSubject.objects.filter(_area_q("address__", f.area), signal_id=OuterRef("pk")))
        )
    if f.team:
        qs = qs.filter(owner_team=f.team)
    return qs.order_by()


def fig_signals_per_month(*, user: User, f: DashFilters) -> Figure:
    Signal = model("signals.Signal")
    qs = signals_visible(user=user, f=f)
    through = Signal.phenomena.through
    raw = (
        through.objects.filter(signal_id__in=qs.values("id"))
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
    cell = {}
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
    Signal = model("signals.Signal")
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
    Measure = model("measures.Measure")
    MeasureEvent = model("measures.MeasureEvent")
    StatusChange = model("signals.SignalStatusChange")
    qs = signals_visible(user=user, f=f)
    if MeasureEvent is not None:
        first_measure = Subquery(
            MeasureEvent.objects.filter(
                visible_q(user, Measure, prefix="measure__"), measure__signals=OuterRef("pk")
            )
            .order_by("date")
            .values("date")[:1]
        )
        qs = qs.annotate(first_measure=first_measure)
    decision = Subquery(
        StatusChange.objects.filter(signal_id=OuterRef("pk"), from_status="CASUSTAFEL_AGENDA")
        .order_by("at")
        .values("at")[:1]
    )
    qs = qs.annotate(decided_at=decision)
    aggregates = {
        "dec": Median(
            _days_between(_local_date(F("decided_at")), F("received_date")),
            filter=Q(decided_at__isnull=False),
        ),
        "dec_n": Count("id", filter=Q(decided_at__isnull=False)),
    }
    if MeasureEvent is not None:
        aggregates["mea"] = Median(
            _days_between(F("first_measure"), F("received_date")), filter=Q(first_measure__isnull=False)
        )
        aggregates["mea_n"] = Count("id", filter=Q(first_measure__isnull=False))
    raw = qs.annotate(m=TruncMonth("received_date")).values("m").annotate(**aggregates).order_by("m")
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


# --- measures ------------------------------------------------------------------------------------


def measures_visible(*, user: User, f: DashFilters, period: bool = True) -> QuerySet | None:
    Measure = model("measures.Measure")
    if Measure is None:
        return None
    qs = Measure.objects.filter(visible_q(user, Measure))
    if period and f.date_from:
        qs = qs.filter(created_at__date__gte=f.date_from)
    if period and f.date_to:
        qs = qs.filter(created_at__date__lte=f.date_to)
    if f.phenomenon:
        Signal = model("signals.Signal")
        through = Signal.phenomena.through
        msig = Measure.signals.through
        qs = qs.filter(
            Exists(
                msig.objects.filter(
                    measure_id=OuterRef("pk"),
                    signal_id__in=through.objects.filter(phenomenon__code=f.phenomenon).values("signal_id"),
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
    Measure = model("measures.Measure")
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
    Measure = model("measures.Measure")
    if Measure is None:
        return None
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
    labels = _choices(model("measures.Measure"), "kind")
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
    Measure = model("measures.Measure")
    Deadline = model("measures.Deadline")
    title = _("Termijnen die aflopen")
    if Deadline is None:
        return Figure(
            "deadlines_due", title, [_("Soort maatregel")], note=_("Termijnen zijn nog niet beschikbaar.")
        )
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
    Receivable = model("measures.Receivable")
    title = _("Bestuurlijk afpakken per jaar (EUR)")
    columns = [_("Jaar"), _("Verbeurd / opgelegd"), _("Geïnd"), _("Openstaand"), _("Verjaard")]
    if Receivable is None:
        return Figure("afpak", title, columns, note=_("Het afpakregister is nog niet beschikbaar."))
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


# --- Bibob (only through bibob's own selectors) --------------------------------------------------


BIBOB_NO_BRANCH = "Geen risicobranche"  # the labels of bibob.selectors.report_counts
BIBOB_NO_DECISION = "Nog geen besluit"


def fig_bibob(*, user: User) -> list[Figure]:
    """Dossiers per risk branch and per outcome, over bibob's own need-to-know selector
    (``bibob.selectors.dossier_list``), from ONE query grouped by (branch, outcome): a dossier
    has at most one decision, so each count is exact."""
    from .permissions import can_view_bibob_figures

    if not can_view_bibob_figures(user):
        return []
    from bibob.constants import Outcome, RiskBranch
    from bibob.selectors import dossier_list

    raw = list(
        dossier_list(user=user)
        .prefetch_related(None)
        .values_list("risk_branch", "decision__outcome")
        .annotate(n=Count("id"))
        .order_by()
    )

    def counted(index: int, choices) -> list[list]:
        labels = dict(choices)
        totals: dict = {}
        for row in raw:
            totals[row[index]] = totals.get(row[index], 0) + row[2]
        rows = [[str(labels.get(k, k or "—")), n] for k, n in totals.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    return [
        Figure(
            "bibob_branch",
            _("Bibob-dossiers per risicobranche"),
            [_("Branche"), _("Dossiers")],
            counted(0, [("", BIBOB_NO_BRANCH), *RiskBranch.choices]),
        ),
        Figure(
            "bibob_outcome",
            _("Bibob-dossiers per uitkomst"),
            [_("Uitkomst"), _("Dossiers")],
            counted(1, [(None, BIBOB_NO_DECISION), *Outcome.choices]),
        ),
    ]


# --- casustafel action items ---------------------------------------------------------------------


def fig_action_items(*, user: User, f: DashFilters, today: date | None = None) -> Figure:
    """Open and overdue casustafel action items per owner organisation, counted over the items the
    viewer may see through the casustafel's own need-to-know (meeting and audience)."""
    from meetings.selectors import open_actions_per_org

    title = _("Acties casustafel per partner")
    columns = [_("Partner"), _("Open"), _("Te laat")]
    rows = [[name, o, d] for name, o, d in open_actions_per_org(user=user, today=today)]
    note = _("Stand van vandaag.") if rows else _("Geen open acties om te tonen.")
    return Figure("action_items", title, columns, rows, chart="stacked", note=note)


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

    The four rollup figures and their labels come from ONE query (a UNION ALL of the groupings,
    like GROUP BY GROUPING SETS); the measures figure from one more."""
    Signal = model("signals.Signal")
    Phenomenon = model("signals.Phenomenon")
    Source = model("signals.SignalSource")
    qs = rollup_rows(user=user, f=f)
    by_phen = qs.filter(phenomenon=f.phenomenon) if f.phenomenon else qs.filter(primary=True)
    no_date = Value(None, output_field=DateField())
    text = CharField()

    def counts(kind: str, base: QuerySet, key: str, month=no_date) -> QuerySet:
        return (
            base.annotate(k=Value(kind, output_field=text), mo=month, key=F(key), lab=Value("", text))
            .values("k", "mo", "key", "lab")
            .annotate(num=Sum("n"))
            .values_list("k", "mo", "key", "lab", "num")
        )

    def labels(kind: str, base: QuerySet, key: str, label: str, num=None) -> QuerySet:
        return (
            base.annotate(
                k=Value(kind, output_field=text), mo=no_date, key=F(key), lab=F(label), num=num or Value(0)
            )
            .values_list("k", "mo", "key", "lab", "num")
            .order_by()
        )

    parts = [
        counts("month", qs.filter(phenomenon=f.phenomenon) if f.phenomenon else qs, "phenomenon", F("month")),
        counts("source", by_phen, "source"),
        counts("status", by_phen, "status"),
        counts("wijk", by_phen.exclude(wijk_code=""), "wijk_code"),
        labels("wijk_name", Area.objects.filter(level=AreaLevel.WIJK), "code", "name", F("year")),
    ]
    if Phenomenon is not None:
        parts.append(labels("phenomenon_label", Phenomenon.objects.all(), "code", "label"))
    if Source is not None:
        parts.append(labels("source_label", Source.objects.all(), "code", "label"))
    rows: dict[str, list] = {}
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


def url_or_blank(name: str, pk: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


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


# --- map -----------------------------------------------------------------------------------------


def latest_year() -> int | None:
    return Area.objects.order_by("-year").values_list("year", flat=True).first()


def buurt_counts(*, user: User, f: DashFilters) -> dict[str, dict]:
    """Per buurt: visible signals with an address in the buurt, active closures and measures, from
    ONE query (the signal and the measure counts as a UNION ALL)."""
    SignalSubject = model("signals.SignalSubject")
    sig = signals_visible(user=user, f=f)
    text = CharField()
    parts = [
        SignalSubject.objects.filter(signal_id__in=sig.values("id"))
        .exclude(address__buurt_code="")
        .exclude(address__isnull=True)
        .annotate(k=Value("s", output_field=text), code=F("address__buurt_code"))
        .values("k", "code")
        .annotate(n=Count("signal_id", distinct=True), c=Value(0))
        .values_list("k", "code", "n", "c")
    ]
    mq = measures_visible(user=user, f=f, period=False)
    if mq is not None:
        kinds, closed = _closure_kinds()
        parts.append(
            mq.exclude(address__buurt_code="")
            .exclude(address__isnull=True)
            .annotate(k=Value("m", output_field=text), code=F("address__buurt_code"))
            .values("k", "code")
            .annotate(n=Count("id"), c=Count("id", filter=Q(kind__in=kinds, state=closed)))
            .values_list("k", "code", "n", "c")
        )
    counts: dict[str, dict] = {}
    for kind, code, n, c in parts[0].union(*parts[1:], all=True):
        entry = counts.setdefault(code, {"signals": 0, "closures": 0, "measures": 0})
        if kind == "s":
            entry["signals"] = n
        else:
            entry["measures"], entry["closures"] = n, c
    return counts


def _buurten(area: str = "") -> QuerySet:
    """The buurten of the latest year, within ``area`` when given."""
    latest = Area.objects.order_by("-year").values("year")[:1]
    areas = Area.objects.filter(year=Subquery(latest), level=AreaLevel.BUURT)
    if area:
        areas = areas.filter(
            code__startswith={"GM": "BU" + area[2:6], "WK": "BU" + area[2:8]}.get(area[:2], area)
        )
    return areas


def map_data(*, user: User, f: DashFilters, points: bool) -> dict:
    """The viewer's figures for the map: per buurt of the latest year its code, name and counts
    (zero included), and optionally points. The outlines are not in here: they are reference
    data, the same for everyone, served by :func:`buurt_outlines` as a file the browser caches."""
    counts = buurt_counts(user=user, f=f)
    empty = {"signals": 0, "closures": 0, "measures": 0}
    buurten = [
        {"code": code, "name": name, **counts.get(code, empty)}
        for code, name in _buurten(f.area).order_by("code").values_list("code", "name")
    ]
    data = {"buurten": buurten, "points": []}
    if points:
        data["points"] = signal_points(user=user, f=f)
    return data


def busiest_first(buurten: list[dict]) -> list[dict]:
    """The map's table order: most signals first, then most measures, then by code."""
    return sorted(buurten, key=lambda b: (-b["signals"], -b["measures"], b["code"]))


def map_script_data(data: dict) -> dict:
    """What the map script needs besides the outlines: [signals, closures, measures] for the
    buurten that have any figure (names come with the outlines), and the points."""
    counts = {
        b["code"]: [b["signals"], b["closures"], b["measures"]]
        for b in data["buurten"]
        if b["signals"] or b["closures"] or b["measures"]
    }
    return {"counts": counts, "points": data["points"]}


def buurt_outlines(*, area: str = "") -> dict:
    """The buurt outlines of the latest year as GeoJSON (code and name only: no figures)."""
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name}}
        for code, name, geometry in _buurten(area).order_by("code").values_list("code", "name", "geometry")
    ]
    return {"type": "FeatureCollection", "features": features}


def outlines_version(*, area: str = "") -> str:
    """Changes whenever the outlines could have: a new year, or areas loaded, replaced or updated."""
    from django.db.models import Max

    agg = _buurten(area).aggregate(n=Count("id"), last=Max("id"), year=Max("year"), changed=Max("updated_at"))
    changed = agg["changed"].isoformat() if agg["changed"] else ""
    return f"{agg['year']}-{agg['n']}-{agg['last']}-{changed}-{area}"


def signal_points(*, user: User, f: DashFilters, limit: int = 2000) -> list[dict]:
    """Addresses (visible to the user) of visible signals, with coordinates: [lat, lon, n]."""
    Address = model("subjects.Address")
    SignalSubject = model("signals.SignalSubject")
    if not can_use_model(user, Address):
        return []
    sig = signals_visible(user=user, f=f)
    raw = (
        SignalSubject.objects.filter(
            visible_q(user, Address, prefix="address__"),
            signal_id__in=sig.values("id"),
            address__latitude__isnull=False,
        )
        .values_list("address__latitude", "address__longitude")
        .annotate(n=Count("signal_id", distinct=True))
        .order_by("-n")[:limit]
    )
    return [{"lat": float(lat), "lon": float(lon), "n": n} for lat, lon, n in raw]


def buurt_detail(*, user: User, f: DashFilters, code: str) -> dict | None:
    area = Area.objects.filter(code=code, level=AreaLevel.BUURT).order_by("-year").first()
    if area is None:
        return None
    scoped = DashFilters(f.date_from, f.date_to, f.phenomenon, code, f.team)
    counts = buurt_counts(user=user, f=scoped).get(code, {"signals": 0, "closures": 0, "measures": 0})
    Signal = model("signals.Signal")
    through = Signal.phenomena.through
    per_phen = list(
        through.objects.filter(signal_id__in=signals_visible(user=user, f=scoped).values("id"))
        .values_list("phenomenon__label")
        .annotate(n=Count("signal_id"))
        .order_by("-n", "phenomenon__label")
    )
    return {
        "area": area,
        "counts": counts,
        "per_phenomenon": per_phen,
        "list_query": scoped.signal_list_query(),
    }


# --- phenomenon and area analysis ----------------------------------------------------------------


#: The fields each kind's ``__str__`` reads, fetched with the recurring-subjects query so that the
#: page shows the subject's own display name without a query per kind.
RECURRING_KINDS = (
    ("person", _lazy("Persoon"), ("voornamen", "voorvoegsel", "geslachtsnaam")),
    ("organisation", _lazy("Organisatie"), ("name",)),
    (
        "address",
        _lazy("Adres"),
        ("street", "house_number", "house_letter", "house_number_addition", "postcode", "town"),
    ),
    ("vehicle", _lazy("Voertuig"), ("kenteken",)),
)


def recurring_subjects(*, user: User, f: DashFilters, minimum: int = 2, limit: int = 25) -> list[dict]:
    """Subjects and objects linked to at least ``minimum`` visible signals of the selection; a
    subject appears only when the user may see the subject itself too. Two queries: the selected
    signals' ids, then per kind the
    links of the selected signals grouped per subject behind that kind's need-to-know filter,
    with the fields its display name needs, the kinds as a UNION ALL (each part starts from the
    few selected signals; one join over all four kinds with OR would read every link)."""
    from django.db.models.functions import JSONObject

    SignalSubject = model("signals.SignalSubject")
    # The selection once, as ids: as a subquery in each part PostgreSQL misjudges its size and
    # hashes every visible subject of the kind instead of following the few links.
    sig = list(signals_visible(user=user, f=f).values_list("id", flat=True))
    if not sig:
        return []
    text = CharField()
    parts, targets = [], {}
    for kind, label, shown in RECURRING_KINDS:
        Target = SignalSubject._meta.get_field(kind).related_model
        if not can_use_model(user, Target):
            continue
        targets[kind] = (label, Target)
        parts.append(
            SignalSubject.objects.filter(visible_q(user, Target, prefix=f"{kind}__"), signal_id__in=sig)
            .annotate(k=Value(kind, output_field=text), oid=F(f"{kind}_id"))
            .annotate(shown=JSONObject(**{name: f"{kind}__{name}" for name in shown}))
            .values("k", "oid", "shown")
            .annotate(n_signals=Count("signal_id", distinct=True))
            .filter(n_signals__gte=minimum)
            .values_list("k", "oid", "shown", "n_signals")
            .order_by()
        )
    if not parts:
        return []
    first, *rest = parts
    rows = (first.union(*rest, all=True) if rest else first).order_by("-n_signals", "k", "oid")[:limit]
    out = []
    for kind, pk, shown, n in rows:
        label, Target = targets[kind]
        obj = Target(pk=pk, **shown)
        out.append(
            {
                "kind": kind,
                "kind_label": label,
                "obj": obj,
                "signals": n,
                "url": url_or_blank(f"subjects:{kind}_detail", pk),
            }
        )
    return out


def measures_taken(*, user: User, f: DashFilters) -> Figure:
    fig = fig_measures_kind_state(user=user, f=f)
    fig.key, fig.title = "analysis_measures", _("Genomen maatregelen")
    return fig


def trend(*, user: User, f: DashFilters) -> Figure:
    qs = signals_visible(user=user, f=f)
    raw = qs.annotate(m=TruncMonth("received_date")).values_list("m").annotate(n=Count("id")).order_by("m")
    rows = [[_month_label(m), n] for m, n in raw]
    return Figure(
        "analysis_trend",
        _("Trend: signalen per maand"),
        [_("Maand"), _("Aantal signalen")],
        rows,
        chart="line",
    )


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def displacement_hints(
    *,
    user: User,
    f: DashFilters,
    months: int = DISPLACEMENT_MONTHS,
    metres: int = DISPLACEMENT_METRES,
    limit: int = 50,
) -> list[dict]:
    """The waterbed effect: after a measure on an address, do new signals appear nearby?

    Method: for every visible measure with an address and a first event date D (the start of the
    procedure), count visible signals (same phenomenon filter) received in (D, D + N months] that
    are linked to a *different* address which is nearby: in the same buurt, or within X metres
    (haversine on the stored WGS84 coordinates). The same count over [D − N months, D) is shown
    beside it; a hint is listed when the count after is higher than the count before. It is a
    hint for the analyst, not a finding: it does not prove cause."""
    Measure = model("measures.Measure")
    MeasureEvent = model("measures.MeasureEvent")
    SignalSubject = model("signals.SignalSubject")
    if Measure is None or MeasureEvent is None:
        return []
    mq = Measure.objects.filter(visible_q(user, Measure), address__isnull=False)
    if f.area:
        mq = mq.filter(_area_q("address__", f.area))
    if f.team:
        mq = mq.filter(owner_team=f.team)
    # The start (first event date) as one grouped aggregate over the events, not a subquery per
    # measure: at a region's 10k measures the subquery form costs over 100 ms.
    measures = list(
        mq.annotate(start=Min("events__date"))
        .filter(start__isnull=False)
        .select_related("address")
        .order_by("-start", "-pk")[:200]
    )
    if not measures:
        return []
    earliest = min(subtract_period(m.start, months=months) for m in measures)
    sig_f = DashFilters(earliest, None, f.phenomenon, "", f.team)
    links = list(
        SignalSubject.objects.filter(
            signal_id__in=signals_visible(user=user, f=sig_f).values("id"), address__isnull=False
        )
        .values_list(
            "signal_id",
            "signal__received_date",
            "address_id",
            "address__buurt_code",
            "address__latitude",
            "address__longitude",
        )
        .order_by()
    )
    # Candidates per measure from two lookups instead of a scan of every link: the links in the
    # measure's buurt, and those in the grid cells around its point (cells at least ``metres``
    # wide, so the 3×3 block around a point holds every address within ``metres``).
    by_buurt: dict[str, list] = {}
    grid: dict[tuple[int, int], list] = {}
    points = []
    for sid, received, addr_id, buurt, lat, lon in links:
        point = (float(lat), float(lon)) if lat is not None and lon is not None else None
        row = (sid, received, addr_id, point)
        if buurt:
            by_buurt.setdefault(buurt, []).append(row)
        if point:
            points.append((point, row))
    cell_lat = metres / 111_000
    max_lat = max([abs(p[0]) for p, _row in points] + [abs(float(m.address.latitude or 0)) for m in measures])
    cell_lon = cell_lat / max(math.cos(math.radians(min(max_lat, 89.0))), 0.01)

    def cell(point: tuple[float, float]) -> tuple[int, int]:
        return int(math.floor(point[0] / cell_lat)), int(math.floor(point[1] / cell_lon))

    for point, row in points:
        grid.setdefault(cell(point), []).append(row)
    hints = []
    for m in measures:
        a = m.address
        lo, hi = subtract_period(m.start, months=months), add_period(m.start, months=months)
        here = (float(a.latitude), float(a.longitude)) if None not in (a.latitude, a.longitude) else None
        same_buurt = by_buurt.get(a.buurt_code, []) if a.buurt_code else []
        nearby = []
        if here:
            ci, cj = cell(here)
            nearby = [
                row for di in (-1, 0, 1) for dj in (-1, 0, 1) for row in grid.get((ci + di, cj + dj), ())
            ]
        before, after = set(), set()
        for near_by_buurt, rows in ((True, same_buurt), (False, nearby)):
            for sid, received, addr_id, point in rows:
                if addr_id == a.pk or not (lo <= received <= hi):
                    continue
                if not near_by_buurt and _metres(here[0], here[1], point[0], point[1]) > metres:
                    continue
                if received > m.start:
                    after.add(sid)
                elif received < m.start:
                    before.add(sid)
        if len(after) > len(before):
            hints.append(
                {
                    "measure": m,
                    "url": url_or_blank("measures:detail", m.pk),
                    "start": m.start,
                    "buurt": a.buurt_code,
                    "before": len(before),
                    "after": len(after),
                }
            )
    hints.sort(key=lambda h: -(h["after"] - h["before"]))
    return hints[:limit]
