"""Browser journey (issue #22): the analyst generates the 13b intention letter from the measure,
edits it in "Word" and uploads the new version, a colleague checks it, the burgemeester's mandate
holder approves it, and recording the sending starts the zienswijze term shown on the measure,
with the same date the letter names."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone

from letters import fields
from measures import deadlines as dl
from measures.services import deadline_rule_get
from tests.e2e.conftest import axe_violations
from tests.factories.measures import make_measure
from tests.factories.subjects import AddressFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_13b_intention_letter_from_generation_to_zienswijze_term(
    page, browser, live_server, make_user, browser_login, tmp_path
):
    import docx

    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    colleague = make_user("analyst", username="bram", first_name="Bram")
    mayor = make_user("decision_maker", username="els", first_name="Els", last_name="Burgemeester")
    today = timezone.localdate()
    address = AddressFactory(owner_team=analyst.org_unit, street="Wierdensestraat", house_number=42)
    measure = make_measure(analyst, rapportage_date=today - timedelta(days=5), address=address)
    measure_url = f"{live_server.url}/maatregelen/{measure.pk}/"
    due = dl.compute(deadline_rule_get(dl.ZIENSWIJZE), today)

    # the analyst makes the letter from the measure page; the intention is preselected
    browser_login(page, analyst)
    page.goto(measure_url)
    page.get_by_test_id("make-letter").click()
    assert page.locator("#id_kind").input_value() == "voornemen_sluiting"
    page.get_by_role("button", name="Brief maken").click()
    page.wait_for_url("**/brieven/*/")
    letter_url = page.url
    assert page.get_by_test_id("letter-state").inner_text() == "Concept"
    assert fields.page_date(due) in page.get_by_test_id("printed-zienswijze").inner_text()

    # download, edit in "Word", upload the new version
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    original = tmp_path / "brief.docx"
    info.value.save_as(original)
    document = docx.Document(str(original))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Wierdensestraat 42" in text and f"uiterlijk op {fields.weekday_date(due)}" in text
    document.add_paragraph("Wij hebben ook gesproken met de verhuurder van de woning.")
    edited = tmp_path / "brief-bewerkt.docx"
    document.save(str(edited))
    page.get_by_label("Bewerkte brief (.docx)").set_input_files(str(edited))
    page.get_by_role("button", name="Nieuwe versie uploaden").click()
    page.wait_for_url(letter_url)
    assert "versie 2" in page.content()
    page.get_by_role("button", name="Ter controle aanbieden").click()
    page.wait_for_url(letter_url)
    assert page.get_by_test_id("letter-state").inner_text() == "Ter controle"
    assert axe_violations(page) == []

    # a colleague checks it from their list
    other = browser.new_context()
    colleague_page = other.new_page()
    browser_login(colleague_page, colleague)
    colleague_page.goto(f"{live_server.url}/brieven/")
    colleague_page.get_by_test_id("to-check").get_by_role("link").first.click()
    colleague_page.get_by_role("button", name="Gecontroleerd, ter ondertekening").click()
    colleague_page.wait_for_url(letter_url)
    assert colleague_page.get_by_test_id("letter-state").inner_text() == "Ter ondertekening"
    other.close()

    # the mandate holder approves it from "ter ondertekening"
    mayor_context = browser.new_context()
    mayor_page = mayor_context.new_page()
    browser_login(mayor_page, mayor)
    mayor_page.goto(f"{live_server.url}/brieven/")
    mayor_page.get_by_test_id("to-sign").get_by_role("link").first.click()
    mayor_page.get_by_role("button", name="Goedkeuren (mandaat)").click()
    mayor_page.wait_for_url(letter_url)
    assert "Goedgekeurd" in mayor_page.get_by_test_id("letter-state").inner_text()
    mayor_context.close()

    # sending is the procedure event: the zienswijze term runs and shows on the measure
    page.goto(letter_url)
    page.get_by_label("Verzonden / bekendgemaakt op").fill(today.isoformat())
    page.get_by_role("button", name="Verzending vastleggen").click()
    page.wait_for_url(letter_url)
    assert page.get_by_test_id("letter-state").inner_text() == "Verzonden / bekendgemaakt"
    page.goto(measure_url)
    assert page.get_by_test_id("state").inner_text() == "Voornemen verstuurd"
    deadlines = page.get_by_test_id("deadlines").inner_text()
    assert "zienswijze" in deadlines.lower() and f"{due.day}-{due.month}-{due.year}" in deadlines
    assert "Verzonden / bekendgemaakt" in page.get_by_test_id("letters-panel").inner_text()
