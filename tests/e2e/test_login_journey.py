import pytest

from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_with_password_and_totp_reaches_home(page, live_server, make_user, browser_login):
    user = make_user("analyst", username="anouk", first_name="Anouk")
    page.goto(f"{live_server.url}/inloggen/")
    assert axe_violations(page) == []
    browser_login(page, user)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom, Anouk")
    assert page.get_by_text("Analist").first.is_visible()
    assert axe_violations(page) == []


def test_wrong_code_shows_dutch_message(page, live_server, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("analyst", username="bram")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("bram")
    page.get_by_label("Wachtwoord").fill("correct horse battery staple")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code uit uw authenticator-app of een back-upcode").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_text("Deze code is niet juist of verlopen.").is_visible()
