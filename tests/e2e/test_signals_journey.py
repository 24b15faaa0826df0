"""An analyst takes in an M. tip, links a person, triages it, attaches a PDF and exports the list;
the casustafel chair puts it on the agenda."""

import pytest

from django.utils import timezone

from signals.models import Signal
from signals.reference import ensure_reference_lists
from tests.e2e.conftest import axe_violations
from tests.factories.signals import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mma_tip_from_intake_to_casustafel_and_export(page, live_server, make_user, browser_login):
    ensure_reference_lists()  # transactional tests flush the seeded reference lists
    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    chair = make_user("chair", username="carla", first_name="Carla")
    browser_login(page, analyst)

    page.get_by_role("link", name="Signalen").first.click()
    page.get_by_role("link", name="Nieuw signaal").click()
    assert axe_violations(page) == []
    page.get_by_label("Bron *", exact=True).select_option(label="Meld Misdaad Anoniem (M.)")
    page.get_by_label("Ontvangen op").fill(timezone.localdate().isoformat())
    page.get_by_label("Hennep", exact=True).check()
    page.get_by_label("Samenvatting (niet vertrouwelijk)").fill("M-melding over hennep in Almelo-Noord")
    page.get_by_label("Volledige tekst (vertrouwelijk, versleuteld opgeslagen)").fill(
        "Melder ruikt hennep bij de schuur"
    )
    page.get_by_role("button", name="Opslaan").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Signaal S-")
    signal = Signal.objects.get()
    assert signal.compartment == "mma"

    page.get_by_text("Subject of object koppelen").click()
    page.get_by_label("Geslachtsnaam").fill("Jansen")
    page.get_by_label("Voornamen").fill("Piet")
    page.get_by_label("BSN").fill("111222333")
    page.get_by_role("button", name="Koppelen").click()
    assert "Piet Jansen" in page.get_by_test_id("links").inner_text()

    page.get_by_label("Nieuwe status").select_option(label="Triage")
    page.get_by_role("button", name="Status wijzigen").click()
    assert page.get_by_test_id("signal-status").inner_text() == "Triage"

    page.get_by_label("Bijlage (PDF, afbeelding, Office-document of e-mail; max. 25 MB)").set_input_files(
        files=[{"name": "tip.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Bijlage toevoegen").click()
    assert "tip.pdf" in page.get_by_test_id("attachments").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Signalen").first.click()
    page.get_by_role("link", name="Exporteren").click()
    assert "U exporteert 1 signaal" in page.get_by_test_id("export-count").inner_text()
    page.get_by_label("CSV").check()
    page.get_by_label("Ik exporteer alleen voor mijn taak").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Exporteren").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), encoding="utf-8-sig").read()
    assert signal.reference in content and "schuur" not in content

    page.get_by_role("button", name="Uitloggen").click()
    browser_login(page, chair)
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    page.get_by_role("button", name="Op de agenda van de casustafel").click()
    assert page.get_by_test_id("casustafel").inner_text().startswith("geagendeerd")
    signal.refresh_from_db()
    assert signal.casustafel and signal.status == "TRIAGE" and signal.attachments.count() == 1
