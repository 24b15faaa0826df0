"""Every 15 minutes VIK re-checks a municipal session with the IdP: changed groups take effect,
a user disabled (tokens revoked) at the IdP loses access at the next check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from vik.core.constants import ROLE_ANALYST, ROLE_BIBOB
from vik.identity.models import OidcIdentity

from .test_oidc_login import ANALYST

pytestmark = pytest.mark.django_db


def test_refresh_applies_new_groups_then_a_revoked_user_is_logged_out(client, oidc, oidc_login, caplog):
    oidc.set_user("sub-f", **ANALYST)
    with time_machine.travel(datetime.now(tz=UTC), tick=True) as clock:
        assert oidc_login(client, "sub-f")["Location"] == "/"
        user = OidcIdentity.objects.get(sub="sub-f").user
        clock.shift(timedelta(minutes=10))
        assert client.get("/").status_code == 200  # within 15 minutes: no check

        oidc.set_user("sub-f", **{**ANALYST, "groups": ["vik-bibob"]})  # moved to the Bibob team
        clock.shift(timedelta(minutes=6))
        assert client.get("/").status_code == 200  # checked with the IdP, still allowed
        user.refresh_from_db()
        assert list(user.groups.values_list("name", flat=True)) == [ROLE_BIBOB]
        assert user.org_unit.code == "bibob"
        assert "bibob" not in user.clearances

        clock.shift(timedelta(minutes=10))
        assert client.get("/").status_code == 200
        oidc.revoke("sub-f")  # disabled at the IdP
        clock.shift(timedelta(minutes=6))  # idle only 6 minutes, but the check is due
        r = client.get("/")
        assert r.status_code == 302 and r["Location"] == "/inloggen/?verlopen=1"
        assert "session ended at refresh" in caplog.text
        assert client.get("/")["Location"].startswith("/inloggen/")


def test_unchanged_session_is_not_checked_before_15_minutes(client, oidc, oidc_login):
    oidc.set_user("sub-g", **ANALYST)
    with time_machine.travel(datetime.now(tz=UTC), tick=True) as clock:
        oidc_login(client, "sub-g")
        oidc.revoke("sub-g")
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200
        user = OidcIdentity.objects.get(sub="sub-g").user
        assert list(user.groups.values_list("name", flat=True)) == [ROLE_ANALYST]


def test_idp_unreachable_at_refresh_ends_the_session(client, oidc, oidc_login, settings):
    oidc.set_user("sub-h", **ANALYST)
    with time_machine.travel(datetime.now(tz=UTC), tick=True) as clock:
        oidc_login(client, "sub-h")
        clock.shift(timedelta(minutes=10))
        client.get("/")
        settings.OIDC_TIMEOUT = 1
        from django.core.cache import cache

        cache.clear()  # forget discovery: the IdP must be asked again
        settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
        clock.shift(timedelta(minutes=6))
        assert client.get("/")["Location"] == "/inloggen/?verlopen=1"


def test_refresh_without_any_groups_claim_keeps_the_last_known_groups(client, oidc, oidc_login):
    """The IdP's userinfo has no groups claim and the refresh brought no new ID token (as with
    IdPs that put groups only in ID tokens): the roles stay as at login."""
    oidc.set_user("sub-k", **ANALYST)
    with time_machine.travel(datetime.now(tz=UTC), tick=True) as clock:
        oidc_login(client, "sub-k")
        oidc.set_user("sub-k", **{k: v for k, v in ANALYST.items() if k != "groups"})
        clock.shift(timedelta(minutes=10))
        client.get("/")
        clock.shift(timedelta(minutes=6))
        assert client.get("/").status_code == 200
        user = OidcIdentity.objects.get(sub="sub-k").user
        assert list(user.groups.values_list("name", flat=True)) == [ROLE_ANALYST]
