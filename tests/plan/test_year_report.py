"""The yearly ondermijningsbeeld: made in a background job with progress, from one selectable
year, as PDF and XLSX holding the same tables; every count from 1 to 4 is hidden and so is every
cell it could be derived from (row and column totals), afpak totals from fewer than 5 records
are not shown, and no person, premises or case appears."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from django.urls import reverse

from plan import yearreport
from plan.models import Ambition, PlanAction, YearReport
from plan.seed_data import seed as seed_plan
from tests.factories.signals import make_signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_2024_2025(make_user):
    analyst = make_user("analyst")
    for n, codes, day in (
        (7, ("hennep",), date(2024, 5, 1)),
        (6, ("drugs",), date(2024, 6, 1)),
        (12, ("hennep",), date(2025, 5, 1)),
        (2, ("drugs",), date(2025, 6, 1)),
        (9, ("fraude",), date(2025, 7, 1)),
        (8, ("fraude",), date(2024, 7, 1)),
    ):
        for i in range(n):
            make_signal(analyst, codes=codes, received=day, summary=f"Pand Dorpsstraat {i} verdacht")
    return analyst


def _cells(table):
    return dict(table.cells())


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_small_cells_and_the_cells_that_reveal_them_are_suppressed(signals_2024_2025):
    content = yearreport.build_content(2025)
    per_phen = _cells(content["signal_tables"][0])
    assert per_phen["Drugs"][1] == "<5"  # 2 signals in 2025: primary suppression
    # with row and column totals known, 2 = 8 - 6 and 2 = 23 - 12 - 9: a second cell in its row
    # and one in its column are hidden as well
    assert per_phen["Drugs"][0] == "<5"
    hidden_2025 = [row[1] for row in per_phen.values()].count("<5")
    assert hidden_2025 >= 2
    assert content["signal_tables"][0].totals() == [21, 23]
    for label, values in per_phen.items():  # the change against last year only where both are shown
        if "<5" not in values[:2]:
            assert values[2] == f"{int(values[1]) - int(values[0]):+d}", label
    amounts = dict(content["amounts"].rows)
    assert amounts["Verbeurd (dwangsommen)"].startswith("onderdrukt")  # no forfeitures: nothing to show


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_year_report_is_made_in_the_background_as_pdf_and_xlsx(
    signals_2024_2025, make_user, login, django_capture_on_commit_callbacks
):
    seed_plan(Ambition, PlanAction)
    client = login(make_user("decision_maker"))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("plan:year_report"), {"year": 2025})
    assert resp.status_code == 302
    report = YearReport.objects.get()
    assert report.status == "done" and report.progress == 100
    page = client.get(reverse("plan:year_report")).content.decode()
    assert "Klaar" in page
    pdf = client.get(reverse("plan:year_report_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    xlsx = client.get(reverse("plan:year_report_download", args=[report.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    values = [
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert "Signalen per fenomeen" in values and "<5" in values
    assert not any("Dorpsstraat" in v for v in values)  # no premises, person or case
    table = wb["Tabel 1"]
    rows = {r[0].value: [c.value for c in r[1:]] for r in table.iter_rows(min_row=3)}
    assert rows["Drugs"] == ["<5", "<5", "–"]  # no change shown next to a hidden count
    assert [c.value for c in table[2]] == [None, "2024", "2025", "verschil"]


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_a_future_year_is_refused_in_dutch_and_reporters_never_reach_it(make_user, login):
    client = login(make_user("analyst"))
    resp = client.post(reverse("plan:year_report"), {"year": 2027})
    assert resp.status_code == 400 and "begonnen of afgelopen jaar" in resp.content.decode()
    assert not YearReport.objects.exists()
    assert login(make_user("reporter")).get(reverse("plan:year_report")).status_code == 404
    assert login(make_user("partner")).get(reverse("plan:overview")).status_code == 404


def test_quarterly_progress_report_is_a_pdf(make_user, login):
    seed_plan(Ambition, PlanAction)
    resp = login(make_user("decision_maker")).get(reverse("plan:quarterly_pdf"))
    assert resp["Content-Type"] == "application/pdf" and resp.content.startswith(b"%PDF-")
