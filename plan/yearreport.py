"""The yearly ondermijningsbeeld: counts and totals for one year against the year before, with
small-cell and complementary suppression (dashboards.suppression) so that no figure can be
traced to a person, premises or case. Built by the task ``plan.build_year_report``; the result
is a PDF (through vik.core.pdf) and an XLSX (openpyxl) holding the same tables."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from dashboards.suppression import protect
from vik.core.pdf import render_pdf

SUPPRESSED = "<5"  # shown for a hidden cell (primary or complementary)
THRESHOLD = 5


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    note: str = ""
    hidden: list[list[bool]] = field(default_factory=list)
    change: bool = False

    def protect(self, *, row_totals: bool = True) -> Table:
        self.change = len(self.columns) == 2
        counts = [values for _, values in self.rows]
        self.hidden = (
            protect(counts, threshold=THRESHOLD, row_totals=row_totals, column_totals=True) if counts else []
        )
        return self

    def cells(self) -> list[tuple[str, list[str]]]:
        """Each row's shown values; a two-year table also gets the change against last year,
        only where both years are shown (a change next to a hidden cell would reveal it)."""
        out = []
        for i, (label, values) in enumerate(self.rows):
            hidden = [bool(self.hidden and self.hidden[i][j]) for j in range(len(values))]
            shown = [SUPPRESSED if hidden[j] else str(v) for j, v in enumerate(values)]
            if self.change:
                shown.append("–" if any(hidden) else f"{values[1] - values[0]:+d}")
            out.append((label, shown))
        return out

    @property
    def headers(self) -> list[str]:
        return self.columns + (["verschil"] if self.change else [])

    def totals(self) -> list[int]:
        return [sum(values[j] for _, values in self.rows) for j in range(len(self.columns))]


def _two_years(
    counter_prev: Counter, counter_this: Counter, labels: dict[str, str]
) -> list[tuple[str, list[int]]]:
    keys = sorted(set(counter_prev) | set(counter_this), key=lambda k: labels.get(k, k))
    return [(labels.get(k, k) or "–", [counter_prev.get(k, 0), counter_this.get(k, 0)]) for k in keys]


def signal_tables(year: int) -> list[Table]:
    from dashboards.models import Area, SignalRollup
    from signals.models import Phenomenon, Signal, SignalSource

    cols = [str(year - 1), str(year)]
    through = Signal.phenomena.through
    per_phen = {y: Counter() for y in (year - 1, year)}
    for row in (
        through.objects.filter(signal__received_date__year__in=[year - 1, year])
        .values("signal__received_date__year", "phenomenon__code")
        .annotate(n=Count("signal_id", distinct=True))
    ):
        per_phen[row["signal__received_date__year"]][row["phenomenon__code"]] = row["n"]
    phen_labels = dict(Phenomenon.objects.values_list("code", "label"))
    per_src = {y: Counter() for y in (year - 1, year)}
    for row in (
        Signal.objects.filter(received_date__year__in=[year - 1, year])
        .values("received_date__year", "source__code")
        .annotate(n=Count("id"))
    ):
        per_src[row["received_date__year"]][row["source__code"]] = row["n"]
    src_labels = dict(SignalSource.objects.values_list("code", "label"))
    per_area = {y: Counter() for y in (year - 1, year)}
    for row in (
        SignalRollup.objects.filter(month__year__in=[year - 1, year], primary=True)
        .values("month__year", "wijk_code")
        .annotate(n=Sum("n"))
    ):
        per_area[row["month__year"]][row["wijk_code"]] = row["n"]
    area_labels = dict(Area.objects.filter(level="wijk").values_list("code", "name"))
    area_labels[""] = "Onbekend"
    return [
        Table(
            "Signalen per fenomeen",
            cols,
            _two_years(per_phen[year - 1], per_phen[year], phen_labels),
            note="Een signaal met meer fenomenen telt bij elk fenomeen.",
        ).protect(),
        Table("Signalen per bron", cols, _two_years(per_src[year - 1], per_src[year], src_labels)).protect(),
        Table(
            "Signalen per wijk", cols, _two_years(per_area[year - 1], per_area[year], area_labels)
        ).protect(),
    ]


def measure_tables(year: int) -> list[Table]:
    from bibob.constants import Outcome
    from bibob.models import Decision
    from measures.constants import MeasureKind, MeasureState
    from measures.models import Measure

    cols = [str(year - 1), str(year)]
    per_kind = {y: Counter() for y in (year - 1, year)}
    for row in (
        Measure.objects.filter(created_at__year__in=[year - 1, year])
        .values("created_at__year", "kind")
        .annotate(n=Count("id"))
    ):
        per_kind[row["created_at__year"]][row["kind"]] = row["n"]
    states = Counter(
        dict(Measure.objects.filter(created_at__year=year).values_list("state").annotate(n=Count("id")))
    )
    per_outcome = {y: Counter() for y in (year - 1, year)}
    for row in (
        Decision.objects.filter(decided_on__year__in=[year - 1, year])
        .values("decided_on__year", "outcome")
        .annotate(n=Count("id"))
    ):
        per_outcome[row["decided_on__year"]][row["outcome"]] = row["n"]
    return [
        Table(
            "Maatregelen per soort",
            cols,
            _two_years(per_kind[year - 1], per_kind[year], dict(MeasureKind.choices)),
        ).protect(),
        Table(
            f"Maatregelen van {year} naar fase of uitkomst",
            [str(year)],
            [(dict(MeasureState.choices).get(k, k), [v]) for k, v in sorted(states.items())],
        ).protect(row_totals=False),
        Table(
            "Bibob-besluiten per uitkomst (aantallen)",
            cols,
            _two_years(per_outcome[year - 1], per_outcome[year], dict(Outcome.choices)),
        ).protect(),
    ]


@dataclass
class Amounts:
    rows: list[tuple[str, str]]


def afpak_amounts(year: int) -> Amounts:
    """Afpak totals of the year in euros (Decimal). A total built from fewer than 5 records is
    not shown: a single forfeiture or claim could be traced to its case."""
    from measures.models import Forfeiture, Receivable

    forf = Forfeiture.objects.filter(forfeited_on__year=year).aggregate(s=Sum("amount"), n=Count("id"))
    rec = Receivable.objects.filter(origin_date__year=year).aggregate(
        a=Sum("amount"), c=Sum("collected"), w=Sum("written_off"), n=Count("id")
    )

    def euro(value, n) -> str:
        if n < THRESHOLD:
            return "onderdrukt (minder dan 5 posten)"
        value = value or Decimal("0")
        return "€ " + f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")

    outstanding = (rec["a"] or 0) - (rec["c"] or 0) - (rec["w"] or 0)
    return Amounts(
        [
            ("Verbeurd (dwangsommen)", euro(forf["s"], forf["n"])),
            ("Geïnd", euro(rec["c"], rec["n"])),
            ("Openstaand", euro(outstanding, rec["n"])),
        ]
    )


def plan_table() -> Table:
    from .models import ActionStatus, Ambition, PlanAction

    rows = []
    for ambition in Ambition.objects.all():
        counts = Counter(PlanAction.objects.filter(ambition=ambition).values_list("status", flat=True))
        rows.append((f"Ambitie {ambition.number}", [counts.get(s, 0) for s in ActionStatus.values]))
    # the plan's actions are not about persons: no suppression
    return Table(
        "Voortgang plan van aanpak (acties per status)", [str(label) for label in ActionStatus.labels], rows
    )


def build_content(year: int, progress=lambda pct: None) -> dict:
    progress(10)
    signals = signal_tables(year)
    progress(40)
    measures = measure_tables(year)
    progress(60)
    amounts = afpak_amounts(year)
    plan = plan_table()
    progress(70)
    return {
        "year": year,
        "signal_tables": signals,
        "measure_tables": measures,
        "amounts": amounts,
        "plan": plan,
        "generated": timezone.localtime(),
        "suppressed": SUPPRESSED,
    }


def to_pdf(content: dict) -> bytes:
    html = render_to_string("plan/year_report_pdf.html", content)
    return render_pdf(html, kind="plan.year_report")


def to_xlsx(content: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    ws.title = "Toelichting"
    ws.append([f"Jaarbeeld ondermijning {content['year']}"])
    ws.append([f"Aantallen van 1 tot 4 en de cellen waaruit ze af te leiden zijn, staan als '{SUPPRESSED}'."])
    for n, table in enumerate(
        content["signal_tables"] + content["measure_tables"] + [content["plan"]], start=1
    ):
        sheet = wb.create_sheet(f"Tabel {n}")
        sheet.append([table.title])
        sheet.append([""] + table.headers)
        for label, values in table.cells():
            sheet.append([label] + [int(v) if v.isdigit() else v for v in values])
        if table.rows and not any(any(r) for r in table.hidden):
            chart = BarChart()
            chart.title = table.title
            data = Reference(
                sheet, min_col=2, max_col=1 + len(table.columns), min_row=2, max_row=2 + len(table.rows)
            )
            cats = Reference(sheet, min_col=1, min_row=3, max_row=2 + len(table.rows))
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(cats)
            sheet.add_chart(chart, f"{chr(ord('B') + len(table.columns) + 1)}2")
    sheet = wb.create_sheet("Afpakken")
    sheet.append(["Bestuurlijk afpakken", str(content["year"])])
    for label, value in content["amounts"].rows:
        sheet.append([label, value])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
