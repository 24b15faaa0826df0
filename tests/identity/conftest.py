from __future__ import annotations

from urllib.parse import urlparse

import pytest

from django.contrib.auth.models import Group

from tests.factories.core import OrgUnitFactory
from tests.identity.idp import configure, idp_server  # noqa: F401 (fixture)
from vik.core.constants import ROLE_ANALYST, ROLE_BIBOB, OrgKind
from vik.identity.models import GroupMapping


@pytest.fixture
def oidc(settings, idp_server, db):  # noqa: F811
    """VIK configured against the local IdP, with a group mapping like the demo's."""
    configure(settings, idp_server)
    veiligheid = OrgUnitFactory(code="veiligheid", name="Team Veiligheid", kind=OrgKind.TEAM)
    bibob = OrgUnitFactory(code="bibob", name="Bibob", kind=OrgKind.TEAM)
    GroupMapping.objects.create(idp_group="vik-team-veiligheid", org_unit=veiligheid)
    GroupMapping.objects.create(idp_group="vik-analisten", role=Group.objects.get(name=ROLE_ANALYST))
    GroupMapping.objects.create(idp_group="vik-teamleiders-veiligheid", org_unit=veiligheid, team_leader=True)
    GroupMapping.objects.create(
        idp_group="vik-bibob",
        role=Group.objects.get(name=ROLE_BIBOB),
        org_unit=bibob,
        implies_clearance="bibob",
    )
    return idp_server


@pytest.fixture
def oidc_login(oidc):
    """Drive the whole flow with Django's test client: VIK -> IdP (sign in as ``sub``) -> VIK."""

    def _login(client, sub: str, next_url: str | None = None):
        start = client.get("/inloggen/gemeente/" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302, start.content[:300]
        back = oidc.authorize(start["Location"], sub)
        parsed = urlparse(back)
        return client.get(f"{parsed.path}?{parsed.query}")

    return _login
