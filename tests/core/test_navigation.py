"""A way in for every role: every menu entry opens (no entry leads to a 404 or 403), the records
manager has a role label and a menu, the functional admin reaches rules, matrices and users from
the menu, there is one "Privacy" entry, "Doel wijzigen" only for roles that need a purpose; and
errors that help: 404/403 in the normal layout with a way back, /beheer/ 404 to non-staff,
partners get 404 where others get 403."""

import re

import pytest

from django.urls import reverse

from tests.conftest import ROLE_KEYS
from tests.factories.core import UserFactory
from vik.core.constants import ROLE_RECORDS_MANAGER

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="vik-nav".*?</nav>', re.S)
LINK = re.compile(r'<a class="utrecht-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>')


def _menu(client) -> list[tuple[str, str]]:
    html = client.get("/").content.decode()
    nav = NAV.search(html).group(0)
    return [(label.strip(), href) for href, label in LINK.findall(nav) if not href.startswith("/doel/")]


@pytest.fixture
def records_manager(team):
    return UserFactory(username="archivaris", role=ROLE_RECORDS_MANAGER, org_unit=team, clearances=[])


@pytest.mark.parametrize("role", list(ROLE_KEYS))
def test_every_menu_entry_of_every_role_opens(role, make_user, login):
    user = make_user(role, is_staff=role == "functional_admin")
    client = login(user)
    menu = _menu(client)
    assert len(menu) >= 2, menu  # more than "Overzicht" alone
    labels = [label for label, _ in menu]
    assert labels.count("Privacy") <= 1 and "Privacybeheer" not in labels
    for label, href in menu:
        assert client.get(href).status_code == 200, (role, label, href)


def test_records_manager_has_a_role_label_and_a_menu(records_manager, login):
    client = login(records_manager)
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="role-label">Informatiebeheerder', html)
    menu = dict(_menu(client))
    assert menu["Privacy"] == reverse("privacy:list_list")
    assert client.get(menu["Privacy"]).status_code == 200
    assert "Doel wijzigen" not in html  # opens no persons: no purpose bar


def test_functional_admin_reaches_rules_matrices_and_users_from_the_menu(make_user, login):
    client = login(make_user("functional_admin", is_staff=True))
    menu = dict(_menu(client))
    assert menu["Termijnregels"] == reverse("measures:rules")
    assert menu["Escalatiematrices"] == reverse("measures:matrices")
    assert menu["Privacy"] == reverse("privacy:rule_list")  # bewaarregels
    assert menu["Gebruikers"] == reverse("core:user_list")  # least-privilege user management (#15)


def test_privacy_officer_has_one_privacy_entry_with_who_viewed_below_it(make_user, login):
    client = login(make_user("privacy_officer"))
    menu = _menu(client)
    assert [label for label, _ in menu].count("Privacy") == 1
    assert dict(menu)["Privacy"] == reverse("privacy:dashboard")
    page = client.get(reverse("privacy:dashboard")).content.decode()
    assert reverse("core:who_viewed") in page


@pytest.mark.parametrize(
    ("role", "shown"), [("analyst", True), ("partner", False), ("functional_admin", False)]
)
def test_doel_wijzigen_only_for_roles_that_need_a_purpose(role, shown, make_user, login):
    html = login(make_user(role)).get("/").content.decode()
    assert ("Doel wijzigen" in html) is shown


def test_bibob_specialist_is_not_offered_controls_it_may_not_open(make_user, login):
    client = login(make_user("bibob"))
    html = client.get(reverse("signals:list")).content.decode()
    assert reverse("signals:control_list") not in html


@pytest.mark.parametrize("role", ["analyst", "partner", "privacy_officer"])
def test_beheer_answers_404_to_non_staff(role, make_user, login):
    client = login(make_user(role))
    for url in ("/beheer/", "/beheer/core/user/", "/beheer/login/"):
        assert client.get(url).status_code == 404, url


def test_404_uses_the_normal_layout_with_menu_and_a_way_back(make_user, login):
    client = login(make_user("analyst"))
    resp = client.get("/bestaat-niet/", HTTP_REFERER="http://testserver/signalen/")
    html = resp.content.decode()
    assert resp.status_code == 404
    assert 'class="vik-nav"' in html and "Uitloggen" in html
    assert 'href="/"' in html and 'href="http://testserver/signalen/"' in html
    # a referer from elsewhere is not offered as the way back
    html = client.get("/bestaat-niet/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in html


def test_refusals_use_the_normal_layout_and_never_reveal_what_exists(make_user, login):
    # the analysis pages refuse the functional admin with 404 (issue #15 item 10), in the normal
    # layout with the menu and a way back ...
    admin = login(make_user("functional_admin"))
    resp = admin.get(reverse("dashboards:overview"))
    assert resp.status_code == 404
    assert 'class="vik-nav"' in resp.content.decode() and "Naar het overzicht" in resp.content.decode()
    # ... and so are partners: they do not learn what exists
    partner = login(make_user("partner"))
    resp = partner.get(reverse("dashboards:overview"))
    assert resp.status_code == 404 and "Niet gevonden" in resp.content.decode()


def test_only_the_most_specific_menu_entry_is_current(make_user, login):
    html = login(make_user("analyst")).get(reverse("measures:my_deadlines")).content.decode()
    nav = NAV.search(html).group(0)
    assert nav.count('aria-current="page"') == 1
    assert re.search(r'vik-nav--active" href="/maatregelen/mijn-termijnen/"', nav)
