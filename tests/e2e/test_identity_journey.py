"""A municipal user signs in through the local OpenID provider and lands with the role the
group mapping gives (MFA done at the IdP: no TOTP step)."""

import pytest

from django.contrib.auth.models import Group

from tests.e2e.conftest import axe_violations
from tests.factories.core import OrgUnitFactory
from tests.identity.idp import configure, idp_server  # noqa: F401 (fixture)
from vik.core.constants import ROLE_ANALYST, OrgKind
from vik.identity.models import GroupMapping

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_municipal_login_through_the_idp_lands_with_the_mapped_role(page, live_server, settings, idp_server):  # noqa: F811
    configure(settings, idp_server)
    team = OrgUnitFactory(code="veiligheid", name="Gemeente Almelo – team Veiligheid", kind=OrgKind.TEAM)
    GroupMapping.objects.create(idp_group="vik-team-veiligheid", org_unit=team)
    GroupMapping.objects.create(idp_group="vik-analisten", role=Group.objects.get(name=ROLE_ANALYST))

    page.goto(f"{live_server.url}/inloggen/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Inloggen met gemeenteaccount").click()
    page.wait_for_url(f"{idp_server.url}/oauth2/authorize*")
    page.get_by_role("button", name="gemeente-analist-001").click()  # demo user of the IdP (amr: mfa)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom, Gerda")
    assert page.get_by_text(ROLE_ANALYST).first.is_visible()
    assert axe_violations(page) == []
