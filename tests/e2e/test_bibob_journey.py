"""A horeca exploitatievergunning (APV 2:28) from application through an LBB request to a decision
with conditions, in the browser: the Bibob specialist runs the procedure, the burgemeester decides."""

import re

import pytest

from django.utils import timezone

from tests.e2e.conftest import axe_violations
from vik.core.calendar import term_end

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _save(page):
    page.get_by_role("button", name="Vastleggen").click()


def test_horeca_licence_from_application_via_lbb_to_decision_with_conditions(
    page, live_server, make_user, browser_login
):
    from bibob.models import BibobDossier
    from vik.core.models import OrgUnit

    bestuur, _ = OrgUnit.objects.get_or_create(code="bestuur", defaults={"name": "Bestuur", "kind": "team"})
    specialist = make_user("bibob", username="daan", first_name="Daan", last_name="Bakker")
    mayor = make_user("decision_maker", username="els", first_name="Els", last_name="Visser", org=bestuur)
    today = timezone.localdate()

    browser_login(page, specialist)
    page.get_by_role("link", name="Bibob", exact=True).click()
    page.get_by_role("link", name="Nieuw dossier").click()
    page.get_by_label("Omschrijving").fill("Café De Gouden Leeuw, Grotestraat 12")
    page.get_by_label("Soort beschikking").select_option("apv_2_28")
    page.get_by_label("Risicobranche").select_option("horeca")
    page.get_by_label("Aanvrager").fill("Gouden Leeuw Horeca B.V.")
    page.get_by_label("Datum ontvangst aanvraag").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Bestuurder die besluit").select_option(label="Els Visser")
    page.get_by_role("button", name="Dossier aanmaken").click()
    assert page.get_by_test_id("status").inner_text() == "Aanvraag ontvangen"
    assert page.get_by_test_id("decision-deadline").inner_text() == f"{term_end(today, weeks=8):%d-%m-%Y}"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Vragenformulier versturen").click()
    _save(page)
    page.get_by_role("link", name="Vragenformulier ontvangen").click()
    for attachment in ("Uittreksel KvK", "Huurovereenkomst", "Financieringsoverzicht"):
        page.get_by_label(attachment).check()
    page.get_by_label("Vragenformulier volledig").check()
    _save(page)
    page.get_by_role("link", name="Eigen onderzoek starten").click()
    page.get_by_label("Toelichting").fill("Vragenformulier met alle bijlagen ontvangen")
    _save(page)
    assert page.get_by_test_id("status").inner_text() == "Eigen onderzoek"

    page.get_by_role("link", name="Advies vragen aan het LBB").click()
    _save(page)
    assert page.get_by_test_id("status").inner_text() == "Advies LBB gevraagd"
    assert page.get_by_test_id("lbb-due").inner_text() == f"{term_end(today, weeks=8):%d-%m-%Y}"
    assert "(loopt nog)" in page.get_by_test_id("terms").inner_text()

    # the LBB asks for 5 more weeks: refused at the field, nothing changed
    page.get_by_role("link", name="Verlenging adviestermijn").click()
    page.get_by_label("Verlenging (weken, ten hoogste 4)").fill("5")
    _save(page)
    assert page.get_by_text("De adviestermijn kan met ten hoogste 4 weken worden verlengd.").is_visible()
    page.get_by_label("Verlenging (weken, ten hoogste 4)").fill("4")
    _save(page)
    assert page.get_by_test_id("lbb-due").inner_text().startswith(f"{term_end(today, weeks=12):%d-%m-%Y}")

    page.get_by_role("link", name="Advies LBB vastleggen").click()
    page.get_by_label("Grond a: voordeel uit strafbare feiten").select_option(label="Mindere mate van gevaar")
    page.get_by_label("Samenvatting").fill("Herkomst van een deel van de financiering is onduidelijk.")
    _save(page)
    assert page.get_by_test_id("status").inner_text() == "Advies ontvangen"
    page.get_by_role("link", name="Naar vergewissen").click()
    page.get_by_label("Toelichting").fill("Advies gelezen; bronnen gecontroleerd")
    _save(page)
    page.get_by_role("link", name="Voornemen negatief besluit").click()
    page.get_by_label("Voorgenomen besluit").select_option(label="Verlenen met voorschriften")
    page.get_by_label("Motivering").fill(
        "Mindere mate van gevaar op grond a: voorschriften over de financiering."
    )
    _save(page)
    page.get_by_role("link", name="Zienswijze vastleggen").click()
    page.get_by_label("Samenvatting zienswijze").fill("Aanvrager legt leningovereenkomst over.")
    _save(page)
    assert page.get_by_test_id("status").inner_text() == "Zienswijze"
    page.get_by_role("button", name="Uitloggen").click()

    browser_login(page, mayor)
    dossier = BibobDossier.objects.get()
    page.goto(f"{live_server.url}/bibob/{dossier.pk}/")
    page.get_by_role("link", name="Besluiten").click()
    page.locator("#id_outcome").select_option(label="Verlenen met voorschriften")
    page.get_by_label("Voorschriften").fill("Geen wijziging van financiers zonder voorafgaande toestemming.")
    _save(page)
    assert page.get_by_text(re.compile("Een besluit zonder motivering kan niet")).is_visible()
    page.get_by_label("Motivering").fill(
        "Gelet op het advies en de zienswijze wordt verleend met voorschriften."
    )
    _save(page)
    assert page.get_by_test_id("status").inner_text() == "Besluit genomen"
    decision = page.get_by_test_id("decision").inner_text()
    assert "Verlenen met voorschriften" in decision and "Geen wijziging van financiers" in decision
    timeline = page.get_by_test_id("timeline").inner_text()
    for phase in (
        "Aanvraag ontvangen",
        "Advies LBB gevraagd",
        "Voornemen negatief besluit",
        "Besluit genomen",
    ):
        assert phase in timeline
    assert axe_violations(page) == []
