"""Issue #19 Tests: a journey per role that starts at its home and reaches each of its tasks by
clicking only (the login is the one page.goto). Each journey opens every entry of the role's
menu from the menu itself, then the records the role works on from their lists, and returns home
through the menu. Fails on any answer of 400 or more, on a page without a heading, and on a page
error. The accessibility and width checks over the same menus live in test_layout_widths.py.

World: the one of the width check (a signal, a measure, a Bibob dossier and a held meeting with
long titles, one user per role)."""

from __future__ import annotations

import pytest

from tests.e2e.test_layout_widths import world  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _follow(page, link):
    """Click ``link`` and wait until its page has loaded (a click does not wait for the
    navigation, so checks right after it could still see the page before)."""
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(lambda url: url.split("#")[0].endswith(href.split("#")[0]))
    page.wait_for_load_state()


def _journey(page, user, browser_login, *, tasks=(), subnav=()):
    """Log in (the only goto), click every menu entry, then each task: (menu entry, href of the
    record's link on that page); ``subnav``: (menu entry, link name in the page's own menu)."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}")
        if r.status >= 400 and r.request.resource_type in ("document", "xhr", "fetch", "script", "stylesheet")
        else None,
    )
    browser_login(page, user)
    nav = page.locator(".vik-nav")
    menu = nav.locator("a").all_inner_texts()
    assert "Overzicht" in menu and len(menu) >= 2, menu
    for name in menu:
        _follow(page, nav.get_by_role("link", name=name, exact=True))
        assert page.locator("h1").count() >= 1, (name, page.url)
    for entry, name in subnav:
        _follow(page, nav.get_by_role("link", name=entry, exact=True))
        _follow(page, page.locator("main").get_by_role("link", name=name, exact=True).first)
        assert page.locator("h1").count() >= 1, (entry, name, page.url)
    for entry, href in tasks:
        _follow(page, nav.get_by_role("link", name=entry, exact=True))
        _follow(page, page.locator(f"main a[href='{href}']").first)
        assert page.locator("h1").count() >= 1, (entry, href)
    nav.get_by_role("link", name="Overzicht", exact=True).click()
    page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)
    assert not problems, "\n".join(problems)
    return menu


def test_analyst_journey(page, world, browser_login):  # noqa: F811
    signal_url, measure_url = world["details"]["analyst"]
    menu = _journey(
        page, world["analyst"], browser_login, tasks=[("Signalen", signal_url), ("Maatregelen", measure_url)]
    )
    assert {"Signalen", "Maatregelen"} <= set(menu), menu


def test_chair_journey(page, world, browser_login):  # noqa: F811
    (meeting_url,) = world["details"]["chair"]
    menu = _journey(page, world["chair"], browser_login, tasks=[("Casustafel", meeting_url)])
    assert "Casustafel" in menu, menu


def test_bibob_specialist_journey(page, world, browser_login):  # noqa: F811
    (dossier_url,) = world["details"]["bibob"]
    menu = _journey(page, world["bibob"], browser_login, tasks=[("Bibob", dossier_url)])
    assert "Bibob" in menu, menu


def test_decision_maker_journey(page, world, browser_login):  # noqa: F811
    (measure_url,) = world["details"]["decision_maker"]
    menu = _journey(page, world["decision_maker"], browser_login, tasks=[("Maatregelen", measure_url)])
    assert "Maatregelen" in menu, menu


def test_partner_journey(page, world, browser_login):  # noqa: F811
    (meeting_url,) = world["details"]["partner"]
    menu = _journey(page, world["partner"], browser_login, tasks=[("Casustafel", meeting_url)])
    assert "Casustafel" in menu and "Bibob" not in menu, menu


def test_functional_admin_journey(page, world, browser_login):  # noqa: F811
    menu = _journey(page, world["functional_admin"], browser_login)
    assert "Gebruikers" in menu, menu  # user management from the menu, not by typing a URL


def test_privacy_officer_journey(page, world, browser_login):  # noqa: F811
    menu = _journey(
        page,
        world["privacy_officer"],
        browser_login,
        subnav=[
            ("Privacy", "Inzageverzoeken"),
            ("Privacy", "Juridische blokkades"),
            ("Privacy", "Beperkingen"),
            ("Privacy", "Rectificaties"),
        ],
    )
    assert "Privacy" in menu, menu


def test_records_manager_journey(page, world, browser_login):  # noqa: F811
    menu = _journey(page, world["records_manager"], browser_login)
    assert "Privacy" in menu, menu  # the destruction lists: the menu is not empty
