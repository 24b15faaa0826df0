"""The analyst's journey: dashboard → filter on hennep in one wijk → a chart as a table → a buurt
on the map → the filtered signal list. axe-core finds no serious violations on the way."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_filter_table_map_to_signal_list(
    page, live_server, make_user, team, other_team, browser_login
):
    from dashboards.services import DEMO_AREA_FILE, areas_load_file
    from tests.dashboards.conftest import make_address, make_signal

    areas_load_file(path=DEMO_AREA_FILE, assign=False)
    analyst = make_user("analyst", username="anouk")
    in_buurt = make_address(team, number=1, buurt="BU01410100")
    elsewhere = make_address(team, number=2, buurt="BU01410200")
    today = date.today()
    make_signal(team, today, address=in_buurt)
    make_signal(team, today, phenomena=("hennep", "drugs"), address=in_buurt)
    make_signal(team, today, address=elsewhere)
    make_signal(other_team, today, address=in_buurt)  # not ours: never counted

    browser_login(page, analyst)
    page.get_by_role("link", name="Analyse").click()
    page.wait_for_url(f"{live_server.url}/analyse/")
    assert page.get_by_role("heading", name="Analyse: dashboard").is_visible()
    # the measures panel arrives through htmx after the page, in place of its fallback link
    expect(page.get_by_role("heading", name="Sluitingen die nu van kracht zijn")).to_be_visible()
    expect(
        page.get_by_role("link", name="Bekijk de cijfers: Maatregelen, termijnen en afpakken")
    ).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_label("Fenomeen", exact=True).select_option(label="Hennep")
    page.get_by_label("Gebied (gemeente, wijk of buurt)").select_option(label="Centrum (WK014101)")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**/analyse/?*gebied=WK014101*")

    figure = page.locator("section[data-figure=fig-signals_source]")
    toggle = figure.get_by_role("button", name="Toon als tabel")
    toggle.click()
    table = figure.get_by_role("table")
    expect(table).to_be_visible()
    assert figure.get_by_role("button", name="Toon als grafiek").get_attribute("aria-pressed") == "true"
    assert table.locator("tbody td").first.inner_text() == "2"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Kaart").click()
    page.wait_for_url("**/analyse/kaart/?*")
    page.locator("path.vik-buurt-BU01410100").click()
    detail = page.locator("#buurt-detail")
    expect(detail.get_by_role("heading", name="Centrum Noordwest (BU01410100)")).to_be_visible()
    assert axe_violations(page) == []

    detail.get_by_role("link", name="Bekijk de signalen in Centrum Noordwest").click()
    page.wait_for_url("**/signalen/?*gebied=BU01410100*")
    assert "fenomeen=hennep" in page.url
    expect(page.get_by_test_id("signal-count")).to_have_text("2 signalen")
