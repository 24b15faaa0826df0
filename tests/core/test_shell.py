import pytest

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_page_gives_dutch_404(login, make_user):
    resp = login(make_user("analyst")).get("/bestaat-niet/")
    assert resp.status_code == 404
    assert "Niet gevonden" in resp.content.decode()


def test_shell_shows_user_role_and_organisation_and_skip_link(login, make_user):
    user = make_user("analyst", first_name="Anouk", last_name="de Vries")
    html = login(user).get(reverse("core:home")).content.decode()
    assert 'href="#main"' in html and "Naar de inhoud" in html
    assert "Anouk de Vries" in html and "Analist" in html and user.org_unit.name in html
    assert '<html lang="nl"' in html


def test_an_incomplete_language_is_not_offered(login, make_user):
    # English has no complete translation: not in the switch, and asking for it keeps Dutch
    client = login(make_user("analyst"))
    html = client.get("/").content.decode()
    assert "English" not in html and "Engels" not in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="nl"' in client.get("/").content.decode()


def test_purpose_form_sets_and_clears_the_werkcontext(login, make_user):
    client = login(make_user("analyst"))
    bad = client.post(reverse("core:purpose"), {"reason": "kort"})
    assert bad.status_code == 400 and "ten minste 10 tekens" in bad.content.decode()
    ok = client.post(reverse("core:purpose"), {"reason": "Voorbereiding casustafel december"})
    assert ok.status_code == 302
    assert "Voorbereiding casustafel december" in client.get("/").content.decode()
    client.post(reverse("core:purpose"), {"clear": "1"})
    assert "Geen doel opgegeven" in client.get("/").content.decode()


def test_notifications_are_listed_and_marked_read(login, make_user):
    from vik.core.services import notification_send

    user = make_user("analyst")
    notification_send(user=user, message="Termijn zienswijze verloopt vandaag", dedup_key="t1")
    assert notification_send(user=user, message="Termijn zienswijze verloopt vandaag", dedup_key="t1") is None
    client = login(user)
    assert "Termijn zienswijze verloopt vandaag" in client.get(reverse("core:notifications")).content.decode()
    client.post(reverse("core:notifications"))
    assert user.notifications.filter(read_at__isnull=True).count() == 0


def test_demo_logins_only_in_demo_mode(settings, capsys, monkeypatch):
    from vik.core.registry import registry

    monkeypatch.setattr(registry, "seeders", [])  # each app's seeder is tested in its own suite
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "analist" in out and "TOTP secret" in out
    call_command("demo_otp", "analist")
    assert capsys.readouterr().out.strip().isdigit()
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        call_command("demo_otp", "analist")
    with pytest.raises(ImproperlyConfigured):
        call_command("seed_demo")


def test_demo_otp_unknown_user(capsys):
    with pytest.raises(CommandError):
        call_command("demo_otp", "niemand")
