"""Eyes and ears: a municipal employee (role Melder) reports what they saw with a photo, gets a
receipt, and sees the status change after an analyst triages the signal, but cannot open the
signal or anything else. The plan's seeded actions show with their status; the yearly report is
made in the background as PDF and XLSX."""

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from plan.models import Ambition, PlanAction, YearReport
from plan.seed_data import ACTIONS
from plan.seed_data import seed as seed_plan
from reporting.models import InternalReport
from signals.reference import ensure_reference_lists
from tests.signals.test_images import jpeg_with_metadata

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_melder_reports_with_a_photo_and_follows_only_its_status(page, live_server, make_user, browser_login):
    ensure_reference_lists()  # transactional tests flush the seeded reference lists
    melder = make_user("reporter", username="melder", first_name="Lotte")
    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    browser_login(page, melder)

    page.get_by_role("link", name="Melden").first.click()
    page.get_by_role("button", name="Melding versturen").click()  # empty: refused, nothing saved
    assert "Beschrijf wat u heeft gezien." in page.content()
    assert not InternalReport.objects.exists()
    page.get_by_label("Wat heeft u gezien?").fill("Afgeplakte ramen en een sterke hennepgeur")
    page.get_by_label("Waar?").fill("Grotestraat 12, Almelo")
    page.get_by_label("Wanneer?").fill(timezone.localdate().isoformat())
    page.locator("label", has_text="Hennepgeur").locator("input").check()
    page.get_by_label("Foto's of bestanden (niet verplicht)").set_input_files(
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_metadata()}]
    )
    page.get_by_role("button", name="Melding versturen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ontvangstbewijs"
    assert page.get_by_test_id("report-status").inner_text() == "ontvangen"
    report = InternalReport.objects.get()
    signal = report.signal
    assert signal.source.code == "intern" and signal.attachments.count() == 1

    # the reporter cannot open the signal, the signal list or anything else
    for path in (f"/signalen/{signal.pk}/", "/signalen/", "/subjecten/", "/plan/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status in (403, 404), path

    analyst_page = page.context.browser.new_context().new_page()
    browser_login(analyst_page, analyst)
    analyst_page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    analyst_page.get_by_label("Nieuwe status").select_option(label="Triage")
    analyst_page.get_by_role("button", name="Status wijzigen").click()
    assert analyst_page.get_by_test_id("signal-status").inner_text() == "Triage"
    analyst_page.context.close()

    page.goto(f"{live_server.url}/melden/mijn-meldingen/")
    assert page.get_by_test_id(f"status-{report.receipt_number}").inner_text() == "in behandeling"
    assert "Triage" not in page.content()


def test_plan_shows_the_seeded_actions_with_their_status(page, live_server, make_user, browser_login):
    seed_plan(Ambition, PlanAction)
    browser_login(page, make_user("decision_maker", username="els"))
    page.get_by_role("link", name="Plan van aanpak").first.click()
    page.wait_for_url("**/plan/")
    rows = page.get_by_test_id("plan-action")
    expect(rows).to_have_count(len(ACTIONS))  # waits for the page: a click does not wait for the load
    vik = rows.filter(has_text="VIK operationeel")
    assert vik.get_by_test_id("action-status").inner_text() == "Gereed"
    assert "over tijd" in rows.filter(has_text="Digitaal opkopersregister").inner_text()


def test_yearly_report_is_generated_as_pdf_and_xlsx(page, live_server, make_user, browser_login, settings):
    ensure_reference_lists()
    seed_plan(Ambition, PlanAction)
    browser_login(page, make_user("decision_maker", username="els"))
    page.get_by_role("link", name="Jaarbeeld").first.click()
    year = timezone.localdate().year - 1
    page.get_by_role("spinbutton", name="Jaar").fill(str(year))
    page.get_by_role("button", name="Jaarbeeld maken").click()
    report = YearReport.objects.get(year=year)
    assert report.status == "done"  # eager Celery in tests; a worker does it in production
    assert "Klaar" in page.get_by_test_id("year-report-status").inner_text()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename == f"jaarbeeld-ondermijning-{year}.pdf"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="XLSX").click()
    assert xlsx.value.suggested_filename == f"jaarbeeld-ondermijning-{year}.xlsx"
