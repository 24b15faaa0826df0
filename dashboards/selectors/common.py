"""The building blocks of every figure: filters, ``Figure``, small-cell suppression, date helpers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Aggregate, DateField, FloatField, Func, IntegerField, Q
from django.utils.translation import gettext as _

from vik.core.models import OrgUnit

from ..constants import SUPPRESS_BELOW
from ..suppression import protect, protect_counts

AREA_COLUMNS = {"GM": "gemeente_code", "WK": "wijk_code", "BU": "buurt_code"}
ZERO = Decimal("0.00")


@dataclass
class DashFilters:
    date_from: date | None = None
    date_to: date | None = None
    phenomenon: str = ""
    area: str = ""
    team: OrgUnit | None = None
    #: The phenomenon's id when the caller knows it (the filter form has it from its choices):
    #: ``phenomenon_id = <constant>`` lets PostgreSQL use that phenomenon's own row count from its
    #: statistics, where a join on the code makes it guess, and then it hashes every link of the
    #: phenomenon instead of probing the few signals of the selection. Not part of the filter's
    #: identity: the code is.
    phenomenon_id: int | None = field(default=None, compare=False)

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


def _phenomenon_q(f: DashFilters, prefix: str = "") -> Q:
    """The links (signal ↔ phenomenon) of the filter's phenomenon, by id when known."""
    if f.phenomenon_id is not None:
        return Q(**{f"{prefix}phenomenon_id": f.phenomenon_id})
    return Q(**{f"{prefix}phenomenon__code": f.phenomenon})


def _area_q(prefix: str, code: str) -> Q:
    column = AREA_COLUMNS.get(code[:2])
    if column is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}{column}": code})


def url_or_blank(name: str, pk: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""
