"""The casustafel cycle in a real browser: the chair builds the agenda from two flagged signals,
shares one with the police and locks it; a police user sees exactly that item; the chair records
a decision and an action; the minutes PDF downloads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from tests.e2e.conftest import axe_violations
from tests.factories.meetings import make_meeting, make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chair_runs_a_casustafel_and_the_police_sees_only_its_item(
    page, browser, live_server, make_user, team, police_org, browser_login
):
    chair = make_user("chair", username="carla", first_name="Carla")
    police = make_user("partner", org=police_org, username="frank", first_name="Frank")
    first = make_signal(team=team, summary="Hennepkwekerij in loods Bedrijvenpark")
    second = make_signal(team=team, summary="Witwassen via kapsalon Grotestraat")
    meeting = make_meeting(chair=chair, orgs=[police_org])
    url = f"{live_server.url}/casustafel/{meeting.pk}/"

    browser_login(page, chair)
    page.goto(url)
    items = page.get_by_test_id("agenda-item")
    page.get_by_role("button", name=f"Agenderen: {first.reference}").click()
    expect(items).to_have_count(1)
    page.get_by_role("button", name=f"Agenderen: {second.reference}").click()
    expect(items).to_have_count(2)
    assert axe_violations(page) == []

    page.get_by_role("link", name=f"{first.reference}: Hennepkwekerij in loods Bedrijvenpark").click()
    page.get_by_label("Samenvatting voor partners").fill(
        "Vermoedelijke hennepkwekerij; afstemming over vervolg."
    )
    page.get_by_label("Politie Oost-Nederland").check()
    page.get_by_role("button", name="Agendapunt opslaan").click()
    page.get_by_text("Het agendapunt is opgeslagen.").wait_for()
    page.goto(url)
    page.get_by_role("button", name="Agenda vaststellen").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("Agenda vastgesteld")

    police_page = browser.new_context().new_page()
    browser_login(police_page, police)
    police_page.goto(url)
    shared = police_page.get_by_test_id("agenda-item")
    expect(shared).to_have_count(1)
    assert "Hennepkwekerij" in shared.inner_text() and "Witwassen" not in police_page.content()
    police_page.context.close()

    page.get_by_role("button", name="Overleg is gehouden").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("Gehouden")
    page.get_by_role("link", name=f"{first.reference}: Hennepkwekerij in loods Bedrijvenpark").click()
    page.get_by_role("combobox", name="Besluit", exact=True).select_option("local")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("item-decision")).to_contain_text("Lokaal oppakken")
    page.get_by_role("textbox", name="Actie", exact=True).fill("Bestuurlijke rapportage aanleveren")
    page.get_by_label("Eigenaar (organisatie)").select_option(label="Politie Oost-Nederland")
    page.get_by_label("Uiterlijk").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Actiepunt toevoegen").click()
    page.get_by_text("Het actiepunt is vastgelegd.").wait_for()
    first.refresh_from_db()
    assert first.status == "CASE_OPEN" and first.casustafel_outcome == "local"

    page.goto(url)
    page.get_by_role("button", name="Conceptverslag opstellen").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("Conceptverslag")
    with page.expect_download() as info:
        page.get_by_role("link", name="Verslag als PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
