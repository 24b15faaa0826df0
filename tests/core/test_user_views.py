"""The functional admin's pages and the Django admin (issue #15 item 1): what a user can do
through the browser, and what the admin site refuses."""

from __future__ import annotations

import re

import pytest

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from vik.core.constants import ROLE_PRIVACY_OFFICER
from vik.core.models import GrantRequest, User

REASON = "Nieuwe medewerker team Veiligheid, aanvraag via leidinggevende"


@pytest.fixture
def admin(make_user):
    return make_user("functional_admin", username="beheerder", is_staff=True)


# --- the Django admin site ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "chair", "partner", "privacy_officer"])
def test_admin_site_answers_404_without_the_staff_role(login, make_user, role):
    user = make_user(role, is_staff=True)  # even a stray is_staff flag does not open it
    client = login(user)
    for path in ("/beheer/", "/beheer/login/", "/beheer/core/user/", f"/beheer/core/user/{user.pk}/change/"):
        assert client.get(path).status_code == 404, path


def test_admin_site_looks_like_an_unknown_url_to_anonymous_visitors(client):
    for path in ("/beheer/", "/beheer/login/", "/bestaat-niet/"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.url == reverse("core:login"), path


@pytest.mark.django_db
def test_admin_site_answers_404_to_a_functional_admin_without_staff_flag(login, make_user):
    client = login(make_user("functional_admin", is_staff=False))
    assert client.get("/beheer/").status_code == 404


@pytest.mark.django_db
def test_admin_cannot_make_superusers_assign_permissions_or_set_passwords(login, admin, make_user):
    victim = make_user("analyst", username="slachtoffer")
    client = login(admin)
    assert client.get("/beheer/").status_code == 200
    page = client.get(f"/beheer/core/user/{victim.pk}/change/")
    assert page.status_code == 200  # read-only view
    assert b'name="is_superuser"' not in page.content
    assert b'name="user_permissions"' not in page.content
    resp = client.post(
        f"/beheer/core/user/{victim.pk}/change/",
        {
            "username": victim.username,
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [1, 2, 3, 4, 5, 6, 7],
        },
    )
    assert resp.status_code == 403
    page = client.get(f"/beheer/core/user/{victim.pk}/password/", follow=True)
    assert b'name="password1"' not in page.content
    client.post(f"/beheer/core/user/{victim.pk}/password/", {"password1": "x" * 20, "password2": "x" * 20})
    # nor his own account
    resp = client.post(
        f"/beheer/core/user/{admin.pk}/change/", {"username": admin.username, "is_superuser": "on"}
    )
    assert resp.status_code == 403
    assert client.get("/beheer/core/user/add/").status_code == 403
    victim.refresh_from_db()
    admin.refresh_from_db()
    assert not victim.is_superuser and not admin.is_superuser
    assert victim.check_password("correct horse battery staple")


# --- VIK's own user management ----------------------------------------------------------------


@pytest.mark.django_db
def test_user_pages_are_the_functional_admins_only(login, users):
    for key, user in users.items():
        status = login(user).get(reverse("core:user_list")).status_code
        assert status == (200 if key == "functional_admin" else 404), key


@pytest.mark.django_db
def test_compartment_request_then_privacy_officer_approves(login, admin, make_user):
    target = make_user("analyst", username="nieuwkomer", clearances=["general"])
    privacy = make_user("privacy_officer", username="po")
    client = login(admin)
    url = reverse("core:user_detail", kwargs={"pk": target.pk})
    resp = client.post(
        url,
        {
            "action": "clearance_request",
            "clearance_request-clearance": "mma",
            "clearance_request-reason": REASON,
        },
    )
    assert resp.status_code == 302
    target.refresh_from_db()
    assert "mma" not in target.clearances
    page = client.get(url)
    assert "wacht op goedkeuring" in page.content.decode()
    # the admin cannot approve his own request (the page shows the refusal at the form)
    grant = GrantRequest.objects.get(user=target)
    resp = client.post(reverse("core:grant_requests"), {"request_id": grant.pk, "approve": "1"})
    assert resp.status_code == 400 and "tweede persoon" in resp.content.decode()
    # the privacy officer approves
    po = login(privacy)
    assert REASON in po.get(reverse("core:grant_requests")).content.decode()
    resp = po.post(reverse("core:grant_requests"), {"request_id": grant.pk, "approve": "1", "note": ""})
    assert resp.status_code == 302
    target.refresh_from_db()
    assert "mma" in target.clearances


@pytest.mark.django_db
def test_own_account_page_offers_no_changes_and_refuses_them(login, admin):
    client = login(admin)
    url = reverse("core:user_detail", kwargs={"pk": admin.pk})
    page = client.get(url).content.decode()
    assert "eigen account" in page and 'name="action" value="role_request"' not in page
    group = Group.objects.get(name=ROLE_PRIVACY_OFFICER)
    resp = client.post(
        url, {"action": "role_request", "role_request-group": group.pk, "role_request-reason": REASON}
    )
    assert resp.status_code == 400
    assert not admin.groups.filter(pk=group.pk).exists()
    assert not GrantRequest.objects.exists()


@pytest.mark.django_db
def test_bad_input_gets_a_dutch_error_at_the_field(login, admin, make_user):
    target = make_user("analyst", username="iemand")
    client = login(admin)
    resp = client.post(
        reverse("core:user_detail", kwargs={"pk": target.pk}),
        {"action": "deactivate", "deactivate-reason": "kort"},
    )
    assert resp.status_code == 400
    assert "ten minste 10 tekens" in resp.content.decode()
    target.refresh_from_db()
    assert target.is_active
    resp = client.post(reverse("core:user_create"), {"username": "met spatie"})
    assert resp.status_code == 400 and "Alleen letters" in resp.content.decode()


@pytest.mark.django_db
def test_deactivation_ends_an_open_session_at_the_next_request(login, admin, make_user):
    target = make_user("analyst", username="vertrekt")
    session = login(target)
    assert session.get(reverse("core:home")).status_code == 200
    login(admin).post(
        reverse("core:user_detail", kwargs={"pk": target.pk}),
        {"action": "deactivate", "deactivate-reason": "Uit dienst per vandaag"},
    )
    resp = session.get(reverse("core:home"))
    assert resp.status_code == 302 and "/inloggen/" in resp.url


@pytest.mark.django_db
def test_new_user_sets_own_password_through_the_emailed_link(
    login, admin, team, client, django_capture_on_commit_callbacks
):
    admin_client = login(admin)
    resp = admin_client.post(
        reverse("core:user_create"),
        {
            "username": "fvdijk",
            "first_name": "Fleur",
            "last_name": "Dijk",
            "email": "fleur@example.nl",
            "org_unit": team.pk,
        },
    )
    user = User.objects.get(username="fvdijk")
    assert resp.status_code == 302 and not user.has_usable_password()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("core:user_detail", kwargs={"pk": user.pk}), {"action": "password_reset"})
    assert [m.to for m in mail.outbox] == [["fleur@example.nl"]]
    link = re.search(r"https?://[^/\s]+(/wachtwoord-instellen/\S+/)", mail.outbox[0].body).group(1)
    # the user, not logged in, opens the link and chooses a password
    resp = client.get(link, follow=True)
    assert resp.status_code == 200
    form_url = resp.redirect_chain[-1][0] if resp.redirect_chain else link
    resp = client.post(
        form_url, {"new_password1": "Zeer-geheim-wachtwoord-42", "new_password2": "Zeer-geheim-wachtwoord-42"}
    )
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Zeer-geheim-wachtwoord-42")


@pytest.mark.django_db
def test_deactivation_ends_the_session_whatever_backend_made_it(settings, make_user, admin, login):
    """An SSO backend need not refuse inactive users when it loads the session's user (the OIDC
    backend does not): the middleware ends the session anyway."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.test import Client

    backend = "django.contrib.auth.backends.AllowAllUsersModelBackend"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
    target = make_user("analyst", username="sso_gebruiker")
    device = TOTPDevice.objects.create(user=target, name="app", confirmed=True)
    client = Client()
    client.force_login(target, backend=backend)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["vik_started"] = session["vik_last"] = int(time.time())
    session.save()
    assert client.get(reverse("core:home")).status_code == 200
    login(admin).post(
        reverse("core:user_detail", kwargs={"pk": target.pk}),
        {"action": "deactivate", "deactivate-reason": "Uit dienst per vandaag"},
    )
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and "/inloggen/" in resp.url
