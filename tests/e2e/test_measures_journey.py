"""Browser journey: start a 13b procedure from a police signal, see the duration the escalation
matrix proposes, record voornemen → zienswijze verlopen → besluit (by the burgemeester) →
bekendmaking, see the objection deadline, and find the reminder in "mijn termijnen"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone

from measures import deadlines as dl
from measures.services import deadline_rule_get
from tests.e2e.conftest import axe_violations
from tests.factories.signals import make_signal
from tests.factories.subjects import AddressFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _record(page, live_server, measure_url, label, day, extra=None):
    page.goto(measure_url)
    page.get_by_role("link", name=label, exact=True).click()
    page.locator("#id_date").fill(day.isoformat())
    for field, value in (extra or {}).items():
        page.get_by_label(field).fill(value)
    page.get_by_role("button", name="Vastleggen").click()
    page.wait_for_url(measure_url)


def test_13b_procedure_from_signal_to_objection_deadline(
    page, browser, live_server, make_user, browser_login
):
    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    mayor = make_user("decision_maker", username="els", first_name="Els")
    today = timezone.localdate()
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    address = AddressFactory(owner_team=analyst.org_unit, street="Wierdensestraat", house_number=42)
    signal = make_signal(
        analyst,
        source_code="politie",
        summary="Bestuurlijke rapportage: hennepkwekerij",
        links=[(address, "")],
        received=day(60),
    )

    browser_login(page, analyst)
    page.goto(f"{live_server.url}/maatregelen/nieuw/?signaal={signal.pk}")
    proposal = page.get_by_test_id("proposal")
    assert "sluiting 6 maanden" in proposal.inner_text()
    assert "Geen eerdere maatregelen op dit adres" in proposal.inner_text()
    page.get_by_role("button", name="Procedure starten").click()
    page.wait_for_url("**/maatregelen/*/")
    measure_url = page.url
    assert page.get_by_test_id("measure-proposal").inner_text() == "sluiting 6 maanden"
    assert page.get_by_test_id("state").inner_text() == "Beoordeling"

    _record(page, live_server, measure_url, "Voornemen verstuurd", day(58))
    assert "Termijn zienswijze op voornemen" in page.get_by_test_id("deadlines").inner_text()
    _record(page, live_server, measure_url, "Zienswijzetermijn verlopen", day(43))
    assert page.get_by_role("link", name="Besluit", exact=True).count() == 0  # analyst may not decide

    mayor_context = browser.new_context()
    mayor_page = mayor_context.new_page()
    browser_login(mayor_page, mayor)
    _record(mayor_page, live_server, measure_url, "Besluit", day(42), {"Begunstigingstermijn (dagen)": "14"})
    assert mayor_page.get_by_test_id("state").inner_text() == "Besluit genomen"
    mayor_context.close()

    _record(page, live_server, measure_url, "Bekendmaking", day(40))
    due = dl.compute(deadline_rule_get(dl.BEZWAAR), day(40))
    deadlines = page.get_by_test_id("deadlines").inner_text()
    assert "Bezwaartermijn" in deadlines and f"{due.day}-{due.month}-{due.year}" in deadlines
    assert "Bezwaartermijn" in page.get_by_test_id("next-deadline").inner_text()
    timeline = page.get_by_test_id("timeline").inner_text()
    for label in ["Bestuurlijke rapportage ontvangen", "Voornemen verstuurd", "Besluit", "Bekendmaking"]:
        assert label in timeline
    assert axe_violations(page) == []

    from measures.tasks import deadline_scan

    assert deadline_scan() == 1  # the hourly job: objection term ends within seven days
    assert deadline_scan() == 0
    page.get_by_role("link", name="Mijn termijnen").first.click()
    week = page.get_by_test_id("today") if due == today else page.get_by_test_id("this-week")
    assert "Bezwaartermijn" in week.inner_text()
    page.goto(f"{live_server.url}/")
    assert "Bezwaartermijn" in page.get_by_text("Termijn verloopt").first.inner_text()
