"""The privacy officer meets a 404 on a person's page, uses break-glass from that page with a
reason, and reads the record; the chair is told and the log has the row."""

import pytest

from tests.e2e.conftest import axe_violations
from tests.factories.subjects import PersonFactory
from vik.core.constants import AccessAction
from vik.core.models import AccessLog, BreakGlass

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "Klacht van betrokkene over inzage; controle op rechtmatigheid"


def test_privacy_officer_opens_a_hidden_record_through_break_glass(
    page, live_server, make_user, browser_login
):
    team = make_user("analyst", username="anouk").org_unit
    chair = make_user("chair", username="vera")
    tipped = PersonFactory(owner_team=team, voornamen="Mila", geslachtsnaam="Tipgever", compartment="mma")
    officer = make_user("privacy_officer", username="karin", first_name="Karin")
    browser_login(page, officer)

    page.goto(f"{live_server.url}/subjecten/persoon/{tipped.pk}/")
    assert page.get_by_role("heading", name="Niet gevonden").is_visible()
    assert page.get_by_text("Tipgever").count() == 0
    assert axe_violations(page) == []

    # too short a reason: refused at the field, nothing opened
    page.get_by_label("Reden (wordt vastgelegd en aan de voorzitter gemeld)").fill("even kijken")
    page.get_by_role("button", name="Break-glass: record openen").click()
    assert page.locator(".vik-error").first.is_visible()
    assert not BreakGlass.objects.exists()

    page.get_by_label("Reden (wordt vastgelegd en aan de voorzitter gemeld)").fill(REASON)
    page.get_by_role("button", name="Break-glass: record openen").click()
    page.wait_for_url(f"{live_server.url}/subjecten/persoon/{tipped.pk}/")
    assert page.get_by_text("Break-glass geopend tot").is_visible()
    assert page.get_by_text("Tipgever").first.is_visible()

    assert BreakGlass.objects.filter(user=officer, object_id=tipped.pk, reason=REASON).exists()
    assert AccessLog.objects.filter(actor_id=officer.pk, action=AccessAction.BREAK_GLASS).exists()
    assert chair.notifications.filter(message__contains="Break-glass door karin").exists()
