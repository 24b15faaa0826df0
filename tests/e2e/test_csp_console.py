"""Issue #19 item 10: the pages that draw with JavaScript (the network graph, the casustafel's
agenda builder) run under the strict CSP without a single violation and without console errors,
and no page load asks for a file that is not there (the favicon included)."""

from __future__ import annotations

from datetime import date

import pytest

from subjects.constants import LinkType
from tests.factories.meetings import add_free, make_meeting
from tests.factories.subjects import AddressFactory, LinkFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__vikCsp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__vikCsp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watch(page):
    problems = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda msg: problems.append(f"console {msg.type}: {msg.text}")
        if msg.type in ("error", "warning")
        else None,
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def _violations(page) -> list[str]:
    return page.evaluate("() => window.__vikCsp || []")


def test_network_graph_and_agenda_builder_run_without_csp_violations(
    page, live_server, make_user, police_org, browser_login, set_purpose
):
    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    chair = make_user("chair", username="carla", first_name="Carla")
    jan = PersonFactory(voornamen="Jan", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14))
    home = AddressFactory(street="Grotestraat", house_number=12, postcode="7607AB")
    LinkFactory(source_obj=jan, target_obj=home, link_type=LinkType.WOONT_OP, start_date=date(2020, 4, 1))
    meeting = make_meeting(chair=chair, orgs=[police_org])
    add_free(meeting, chair, title="Eerste punt")
    add_free(meeting, chair, title="Tweede punt")

    problems = _watch(page)
    browser_login(page, analyst)
    set_purpose(page)
    page.goto(f"{live_server.url}/subjecten/persoon/{jan.pk}/netwerk/")
    page.locator("#vik-network[data-ready='1']").wait_for()
    found = [f"network: {v}" for v in _violations(page)]
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200

    page.context.clear_cookies()
    browser_login(page, chair)
    page.goto(f"{live_server.url}/casustafel/{meeting.pk}/")
    page.locator("[data-sortable-ready='1']").wait_for()
    found += [f"agenda: {v}" for v in _violations(page)]
    assert not found + problems, "\n".join(found + problems)
