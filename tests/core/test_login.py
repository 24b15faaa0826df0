import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.urls import reverse

from tests.factories.core import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(make_user):
    return make_user("analyst", username="anouk")


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_first_login_enrols_totp_then_shows_backup_codes(client, analyst):
    resp = client.post(reverse("core:login"), {"username": "anouk", "password": PASSWORD})
    assert resp.status_code == 302 and resp.url == reverse("core:otp_enrol")
    page = client.get(reverse("core:otp_enrol"))
    assert b"<svg" in page.content  # QR code
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    resp = client.post(reverse("core:otp_enrol"), {"token": _code(device)})
    assert resp.status_code == 200
    assert len(resp.context["codes"]) == 10
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_password_alone_does_not_open_pages(client, analyst):
    TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    client.post(reverse("core:login"), {"username": "anouk", "password": PASSWORD})
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and resp.url == reverse("core:otp_verify")


@pytest.mark.django_db
def test_session_key_rotates_at_login_and_after_second_factor(client, analyst):
    device = TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    client.get(reverse("core:login"))
    client.post(reverse("core:login"), {"username": "anouk", "password": PASSWORD})
    after_password = client.session.session_key
    client.post(reverse("core:otp_verify"), {"token": _code(device)})
    assert client.session.session_key != after_password
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_backup_code_works_once(client, analyst):
    from vik.core.views.auth import backup_codes_create

    TOTPDevice.objects.create(user=analyst, name="app", confirmed=True)
    codes = backup_codes_create(user=analyst)
    client.post(reverse("core:login"), {"username": "anouk", "password": PASSWORD})
    assert client.post(reverse("core:otp_verify"), {"token": codes[0]}).status_code == 302
    client.post(reverse("core:logout"))
    client.post(reverse("core:login"), {"username": "anouk", "password": PASSWORD})
    resp = client.post(reverse("core:otp_verify"), {"token": codes[0]})
    assert resp.status_code == 400
    assert "niet juist" in resp.content.decode()


@pytest.mark.django_db
def test_wrong_password_message_is_the_same_for_unknown_users(client, analyst):
    a = client.post(reverse("core:login"), {"username": "anouk", "password": "wrong"})
    b = client.post(reverse("core:login"), {"username": "nobody-here", "password": "wrong"})
    assert a.status_code == b.status_code == 400
    assert a.context["error"] == b.context["error"]
    assert "Inloggen is niet gelukt" in a.content.decode()


@pytest.mark.django_db
def test_lockout_after_five_failures_even_with_right_password(client, analyst):
    for _ in range(5):
        client.post(reverse("core:login"), {"username": "anouk", "password": "wrong"})
    resp = client.post(reverse("core:login"), {"username": "anouk", "password": PASSWORD})
    assert resp.status_code == 429
    assert "tijdelijk niet mogelijk" in resp.content.decode()
    ghost = [client.post(reverse("core:login"), {"username": "ghost", "password": "x"}) for _ in range(6)][-1]
    assert ghost.status_code == 429  # unknown accounts lock the same way: nothing revealed


@pytest.mark.django_db
def test_logout_ends_server_side_session(login, analyst):
    from django.contrib.sessions.models import Session

    client = login(analyst)
    key = client.session.session_key
    client.post(reverse("core:logout"))
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_idle_timeout(login, analyst, settings):
    client = login(analyst)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session["vik_last"] = session["vik_last"] - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and "verlopen=1" in resp.url


@pytest.mark.django_db
def test_absolute_timeout(login, analyst, settings):
    client = login(analyst)
    client.get(reverse("core:home"))
    session = client.session
    session["vik_started"] = session["vik_started"] - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and "verlopen=1" in resp.url


@pytest.mark.django_db
def test_authenticated_pages_are_not_cached_and_carry_security_headers(login, analyst):
    resp = login(analyst).get(reverse("core:home"))
    assert resp["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in resp["Content-Security-Policy"]
    assert "'unsafe-inline'" not in resp["Content-Security-Policy"]
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Referrer-Policy"] == "same-origin"
    assert "camera=()" in resp["Permissions-Policy"]


@pytest.mark.django_db
def test_deactivated_user_is_sent_to_login(login, analyst):
    client = login(analyst)
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and resp.url.startswith(reverse("core:login"))


def test_user_factory_is_importable():
    assert UserFactory._meta.model.__name__ == "User"
