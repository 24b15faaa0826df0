"""The municipal login end to end against the local OpenID provider: PKCE/state/nonce, sub
matching, MFA from acr/amr or VIK's TOTP, the mapping, and every refusal leaves no account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine

from tests.factories.core import OrgUnitFactory, UserFactory
from vik.core.constants import ROLE_ANALYST, ROLE_FUNCTIONAL_ADMIN, OrgKind
from vik.core.models import Notification, User
from vik.identity.models import ClearanceNeedsApproval, OidcIdentity, TeamLeadership, UnknownIdpGroup

pytestmark = pytest.mark.django_db

ANALYST = {
    "preferred_username": "g.jansen",
    "given_name": "Gerda",
    "family_name": "Jansen",
    "email": "g.jansen@almelo.demo",
    "groups": ["vik-team-veiligheid", "vik-analisten"],
    "amr": ["pwd", "mfa"],
}


def test_login_redirect_carries_pkce_state_and_nonce(client, oidc):
    r = client.get("/inloggen/gemeente/")
    assert r.status_code == 302
    q = parse_qs(urlparse(r["Location"]).query)
    assert r["Location"].startswith(oidc.url + "/oauth2/authorize?")
    assert q["code_challenge_method"] == ["S256"] and len(q["code_challenge"][0]) == 43
    assert q["response_type"] == ["code"] and q["client_id"] == ["vik-test"]
    state, nonce = q["state"][0], q["nonce"][0]
    stored = client.session["oidc_states"][state]
    assert stored["nonce"] == nonce and len(stored["code_verifier"]) >= 43


def test_municipal_user_lands_verified_with_mapped_role_and_team(client, oidc, oidc_login):
    oidc.set_user("sub-analist-1", **ANALYST)
    r = oidc_login(client, "sub-analist-1")
    assert r.status_code == 302 and r["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200  # second factor accepted from the IdP (amr=mfa)
    user = OidcIdentity.objects.get(sub="sub-analist-1").user
    assert user.username == "g.jansen" and user.get_full_name() == "Gerda Jansen"
    assert list(user.groups.values_list("name", flat=True)) == [ROLE_ANALYST]
    assert user.org_unit.code == "veiligheid"
    assert not user.has_usable_password()
    assert "bibob" not in user.clearances and "police" not in user.clearances


def test_next_is_kept_through_the_idp(client, oidc, oidc_login):
    oidc.set_user("sub-next", **ANALYST)
    r = oidc_login(client, "sub-next", next_url="/meldingen/")
    assert r["Location"] == "/meldingen/"


def test_without_mfa_claim_vik_asks_its_own_totp(client, oidc, oidc_login):
    oidc.set_user("sub-nomfa", **{**ANALYST, "preferred_username": "z.bakker", "amr": ["pwd"]})
    r = oidc_login(client, "sub-nomfa")
    assert r["Location"] == "/inloggen/authenticator/"  # no TOTP device yet: enrol first
    assert client.get("/")["Location"] == "/inloggen/tweede-stap/"  # not verified


def test_acr_values_configurable(client, oidc, oidc_login, settings):
    settings.OIDC_MFA_AMR_VALUES = []
    settings.OIDC_MFA_ACR_VALUES = ["urn:gemeente:loa:substantial"]
    oidc.set_user(
        "sub-acr", **{**ANALYST, "preferred_username": "acr.user", "acr": "urn:gemeente:loa:substantial"}
    )
    assert oidc_login(client, "sub-acr")["Location"] == "/"
    client.logout()
    # amr=mfa alone no longer counts once only acr is configured: never a weaker factor silently
    oidc.set_user("sub-amr", **{**ANALYST, "preferred_username": "amr.user"})
    assert oidc_login(client, "sub-amr")["Location"] == "/inloggen/authenticator/"


def test_users_are_matched_on_sub_never_on_email(client, oidc, oidc_login):
    local = UserFactory(username="gerda", email="g.jansen@almelo.demo")
    oidc.set_user("sub-a", **ANALYST)
    oidc_login(client, "sub-a")
    first = OidcIdentity.objects.get(sub="sub-a").user
    assert first.pk != local.pk
    client.logout()
    # Same sub, new e-mail and name: the same account, updated.
    oidc.set_user("sub-a", **{**ANALYST, "email": "gerda@almelo.demo", "family_name": "de Vries"})
    oidc_login(client, "sub-a")
    again = OidcIdentity.objects.get(sub="sub-a").user
    assert again.pk == first.pk and again.email == "gerda@almelo.demo" and again.last_name == "de Vries"
    local.refresh_from_db()
    assert local.email == "g.jansen@almelo.demo"


def test_unknown_groups_ignored_and_reported_to_admin(client, oidc, oidc_login):
    admin = UserFactory(role=ROLE_FUNCTIONAL_ADMIN)
    oidc.set_user("sub-u", **{**ANALYST, "groups": ANALYST["groups"] + ["sharepoint-iedereen"]})
    assert oidc_login(client, "sub-u")["Location"] == "/"
    assert UnknownIdpGroup.objects.filter(name="sharepoint-iedereen").exists()
    note = Notification.objects.get(user=admin)
    assert "sharepoint-iedereen" in note.message
    user = OidcIdentity.objects.get(sub="sub-u").user
    assert list(user.groups.values_list("name", flat=True)) == [ROLE_ANALYST]


def test_clearance_from_a_group_is_never_granted_only_noted(client, oidc, oidc_login):
    admin = UserFactory(role=ROLE_FUNCTIONAL_ADMIN)
    oidc.set_user("sub-b", **{**ANALYST, "preferred_username": "b.visser", "groups": ["vik-bibob"]})
    oidc_login(client, "sub-b")
    user = OidcIdentity.objects.get(sub="sub-b").user
    assert "bibob" not in user.clearances
    note = ClearanceNeedsApproval.objects.get(user=user, resolved_at__isnull=True)
    assert note.compartment == "bibob" and note.idp_group == "vik-bibob"
    assert Notification.objects.filter(user=admin, message__contains="vik-bibob").exists()
    # Once the approval flow grants it, the next login closes the note.
    User.objects.filter(pk=user.pk).update(clearances=["general", "bibob"])
    client.logout()
    oidc_login(client, "sub-b")
    assert not ClearanceNeedsApproval.objects.filter(user=user, resolved_at__isnull=True).exists()


def test_team_leader_group_makes_team_leadership(client, oidc, oidc_login):
    oidc.set_user(
        "sub-tl", **{**ANALYST, "preferred_username": "t.smit", "groups": ["vik-teamleiders-veiligheid"]}
    )
    oidc_login(client, "sub-tl")
    user = OidcIdentity.objects.get(sub="sub-tl").user
    assert TeamLeadership.objects.filter(user=user, org_unit__code="veiligheid", from_idp=True).exists()


def test_person_without_a_mapped_group_gets_no_account(client, oidc, oidc_login):
    oidc.set_user("sub-none", preferred_username="x", groups=["sharepoint-iedereen"], amr=["mfa"])
    r = oidc_login(client, "sub-none")
    assert r.status_code == 400
    assert "geen toegang tot VIK" in r.content.decode()
    assert not OidcIdentity.objects.filter(sub="sub-none").exists()
    assert not User.objects.filter(username="x").exists()


def test_deactivated_account_stays_out(client, oidc, oidc_login):
    oidc.set_user("sub-d", **{**ANALYST, "preferred_username": "d.user"})
    oidc_login(client, "sub-d")
    user = OidcIdentity.objects.get(sub="sub-d").user
    User.objects.filter(pk=user.pk).update(is_active=False)
    client.logout()
    r = oidc_login(client, "sub-d")
    assert r.status_code == 400 and "gedeactiveerd" in r.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_wrong_nonce_refused_and_nothing_created(client, oidc, caplog):
    """A code obtained with another nonce (an injected or replayed authorization response)."""
    oidc.set_user("sub-n", **ANALYST)
    start = client.get("/inloggen/gemeente/")
    q = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    q["nonce"] = "aanvaller-nonce"
    evil = oidc.url + "/oauth2/authorize?" + "&".join(f"{k}={v}" for k, v in q.items())
    back = urlparse(oidc.authorize(evil, "sub-n"))
    r = client.get(f"{back.path}?{back.query}")
    assert r.status_code == 400
    assert "Inloggen met uw gemeenteaccount is niet gelukt" in r.content.decode()
    assert "wrong_nonce" in caplog.text
    assert not OidcIdentity.objects.exists()


def test_expired_id_token_refused(client, oidc, caplog):
    oidc.set_user("sub-e", **ANALYST)
    start = client.get("/inloggen/gemeente/")
    back = urlparse(oidc.authorize(start["Location"], "sub-e"))
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(hours=3)):
        r = client.get(f"{back.path}?{back.query}")
    assert r.status_code == 400
    assert "expired_id_token" in caplog.text
    assert not OidcIdentity.objects.exists()


def test_unknown_state_refused(client, oidc, caplog):
    oidc.set_user("sub-s", **ANALYST)
    client.get("/inloggen/gemeente/")
    r = client.get("/inloggen/gemeente/terug/?code=abc&state=verzonnen")
    assert r.status_code == 400 and not OidcIdentity.objects.exists()
    assert "unknown_state" in caplog.text


def test_code_cannot_be_replayed(client, oidc, oidc_login):
    oidc.set_user("sub-r", **ANALYST)
    start = client.get("/inloggen/gemeente/")
    back = urlparse(oidc.authorize(start["Location"], "sub-r"))
    assert client.get(f"{back.path}?{back.query}")["Location"] == "/"
    client.logout()
    r = client.get(f"{back.path}?{back.query}")
    assert r.status_code == 400
    assert client.get("/")["Location"].startswith("/inloggen/")


def test_idp_error_response_refused(client, oidc):
    start = client.get("/inloggen/gemeente/")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    r = client.get(f"/inloggen/gemeente/terug/?error=access_denied&state={state}")
    assert r.status_code == 400


def test_idp_down_clear_message_and_partner_login_still_works(client, settings, db):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{dead}"
    settings.OIDC_CLIENT_ID = "vik-test"
    r = client.get("/inloggen/gemeente/")
    assert r.status_code == 503
    assert "niet bereikbaar" in r.content.decode()
    partner_org = OrgUnitFactory(code="politie", kind=OrgKind.PARTNER)
    partner = UserFactory(username="agent", org_unit=partner_org)
    r = client.post("/inloggen/", {"username": "agent", "password": "correct horse battery staple"})
    assert r.status_code == 302 and r["Location"] == "/inloggen/authenticator/"
    assert client.session["_auth_user_id"] == str(partner.pk)


def test_login_page_offers_municipal_login_only_when_configured(client, settings, db):
    settings.OIDC_ISSUER = ""
    assert "Inloggen met gemeenteaccount" not in client.get("/inloggen/").content.decode()
    assert client.get("/inloggen/gemeente/").status_code == 404
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID = "vik"
    assert "Inloggen met gemeenteaccount" in client.get("/inloggen/").content.decode()


def test_local_login_switched_off_for_staff_but_not_partners(client, settings, db):
    settings.OIDC_LOCAL_LOGIN_STAFF = False
    staff = UserFactory(username="medewerker", org_unit=OrgUnitFactory(code="veiligheid", kind=OrgKind.TEAM))
    r = client.post("/inloggen/", {"username": staff.username, "password": "correct horse battery staple"})
    assert r.status_code == 400 and "gemeenteaccount" in r.content.decode()
    assert "_auth_user_id" not in client.session
    partner = UserFactory(username="riec1", org_unit=OrgUnitFactory(code="riec", kind=OrgKind.PARTNER))
    r = client.post("/inloggen/", {"username": partner.username, "password": "correct horse battery staple"})
    assert r.status_code == 302


def test_logout_ends_the_session_at_the_idp_too(client, oidc, oidc_login):
    oidc.set_user("sub-l", **ANALYST)
    oidc_login(client, "sub-l")
    r = client.post("/uitloggen/")
    assert r.status_code == 302
    target = urlparse(r["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == oidc.url + "/oauth2/end_session"
    q = parse_qs(target.query)
    assert q["post_logout_redirect_uri"] == ["http://testserver/inloggen/"]
    assert "id_token_hint" not in q  # no token in a URL unless configured (ADFS)
    assert client.get("/")["Location"].startswith("/inloggen/")


def test_local_logout_stays_local(client, db):
    user = UserFactory(role=ROLE_ANALYST)
    client.force_login(user)
    assert client.post("/uitloggen/")["Location"] == "/inloggen/"


def test_failed_municipal_logins_do_not_lock_out_the_next_person(client, oidc, oidc_login, settings):
    """django-axes counts per username; an OIDC callback has none, so it must not count at all."""
    settings.AXES_FAILURE_LIMIT = 2
    oidc.set_user("sub-z", **ANALYST)
    for _ in range(3):
        start = client.get("/inloggen/gemeente/")
        q = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
        q["nonce"] = "fout"
        back = urlparse(
            oidc.authorize(
                oidc.url + "/oauth2/authorize?" + "&".join(f"{k}={v}" for k, v in q.items()), "sub-z"
            )
        )
        assert client.get(f"{back.path}?{back.query}").status_code == 400
    assert oidc_login(client, "sub-z")["Location"] == "/"


def test_seed_demo_mapping_matches_the_demo_idp_users(db):
    from vik.core.demo import seed_org_units_and_users
    from vik.identity.demo import DEMO_IDP_USERS
    from vik.identity.models import GroupMapping
    from vik.identity.seed import seed_identity

    seed_org_units_and_users()
    seed_identity()
    seed_identity()  # idempotent
    mapped = set(GroupMapping.objects.values_list("idp_group", flat=True))
    for claims in DEMO_IDP_USERS:
        assert mapped & set(claims["groups"]), claims["sub"]
    assert GroupMapping.objects.get(idp_group="vik-bibob").implies_clearance == "bibob"


def test_logout_sends_id_token_hint_only_when_configured(client, oidc, oidc_login, settings):
    settings.OIDC_LOGOUT_ID_TOKEN_HINT = True  # ADFS
    oidc.set_user("sub-adfs", **ANALYST)
    oidc_login(client, "sub-adfs")
    id_token = client.session["vik_oidc"]["id_token"]
    q = parse_qs(urlparse(client.post("/uitloggen/")["Location"]).query)
    assert q["id_token_hint"] == [id_token] and q["client_id"] == ["vik-test"]
