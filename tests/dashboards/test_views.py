"""Pages end to end: filters, bad input, exports (logged, suppressed), the map and the analysis."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from django.urls import reverse

from dashboards.services import DEMO_AREA_FILE, areas_load_file, rollups_refresh
from tests.dashboards.conftest import PERIOD
from vik.core.models import AccessLog


@pytest.fixture
def areas(db):
    areas_load_file(path=DEMO_AREA_FILE, assign=False)


def test_dashboard_shows_own_figures_with_table_alternative_and_freshness(world, login, areas):
    resp = login(world.analyst).get(reverse("dashboards:overview"), PERIOD)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Actuele cijfers" in html
    assert 'data-toggle-table="fig-signals_month"' in html
    data = json.loads(html.split('id="fig-signals_source" type="application/json">')[1].split("</script>")[0])
    assert sorted(data["datasets"][0]["data"]) == [1.0, 3.0]
    assert "Bibob-dossiers" not in html
    assert "<script>" not in html  # no inline script: data goes through json_script


def test_measures_panel_loads_lazily_with_a_link_as_fallback(world, login, areas):
    client = login(world.analyst)
    html = client.get(reverse("dashboards:overview"), PERIOD).content.decode()
    query = "van=2025-01-01&amp;tot=2025-12-31"
    url = reverse("dashboards:panel_measures")
    assert f'hx-get="{url}?{query}" hx-trigger="load"' in html
    assert f'<a class="utrecht-link" href="{url}?{query}">' in html  # without JavaScript
    assert 'data-figure="fig-afpak"' not in html  # not in the page itself
    # the signal and partner figures are in the page, in the order of the dashboard
    assert (
        html.index('data-figure="fig-lead_times"')
        < html.index(url)
        < html.index('data-figure="fig-action_items"')
    )
    # the fragment htmx loads: the measure figures of the viewer's own team, without the shell
    resp = client.get(url, PERIOD, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    fragment = resp.content.decode()
    assert "<html" not in fragment and "<nav" not in fragment
    assert 'data-figure="fig-measures_kind_state"' in fragment and 'data-figure="fig-afpak"' in fragment
    closures = json.loads(
        fragment.split('id="fig-closures_active" type="application/json">')[1].split("</script>")[0]
    )
    assert closures["datasets"][0]["data"] == [1.0]  # M1 only: M2 is the other team's
    # the fallback page: the same figures in the shell, with the way back
    page = client.get(url, PERIOD).content.decode()
    assert "Terug naar het dashboard" in page and 'data-figure="fig-deadlines_due"' in page
    # Bibob figures stay in the page, only for users cleared for Bibob
    bibob = login(world.users["bibob"]).get(reverse("dashboards:overview")).content.decode()
    assert "Bibob-dossiers per risicobranche" in bibob and "Bibob-dossiers" not in html


def test_panels_refuse_bad_filter_input(world, login, areas):
    client = login(world.analyst)
    for params, message in (
        ({"gebied": "BU99999999"}, "Onbekende gebiedscode BU99999999"),
        ({"van": "2025-06-01", "tot": "2025-01-01"}, "De einddatum ligt vóór de begindatum"),
    ):
        for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
            resp = client.get(reverse("dashboards:panel_measures"), params, **headers)
            assert resp.status_code == 400 and message in resp.content.decode()
    # known codes are accepted (looked up without loading every choice list) and filter
    for team_code, expected in (("veiligheid", [1.0]), ("vergunningen", None)):
        resp = client.get(
            reverse("dashboards:panel_measures"),
            {**PERIOD, "gebied": "WK014101", "team": team_code},
            HTTP_HX_REQUEST="true",
        )
        assert resp.status_code == 200
        html = resp.content.decode()
        if expected is None:  # the other team's closure (M2) is not ours to count
            assert 'id="fig-closures_active" type="application/json"' not in html
        else:
            data = html.split('id="fig-closures_active" type="application/json">')[1].split("</script>")[0]
            assert json.loads(data)["datasets"][0]["data"] == expected


@pytest.mark.parametrize(
    "params,message",
    [
        ({"van": "2025-06-01", "tot": "2025-01-01"}, "De einddatum ligt vóór de begindatum"),
        ({"gebied": "BU99999999"}, "Onbekende gebiedscode BU99999999"),
        ({"gebied": "<script>"}, "Onbekende gebiedscode"),
        ({"van": "gisteren"}, "Voer een geldige datum in"),
        ({"fenomeen": "bestaatniet"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_filter_input_is_refused_with_a_message(world, login, areas, params, message):
    client = login(world.analyst)
    for name in ("dashboards:overview", "dashboards:map", "dashboards:analysis"):
        resp = client.get(reverse(name), params)
        assert resp.status_code == 400, name
        assert message in resp.content.decode(), name
    resp = client.get(reverse("dashboards:export", args=["signals_source"]), {**params, "formaat": "csv"})
    assert resp.status_code == 400


def test_management_page_is_for_chair_and_decision_maker_and_suppresses(world, login, areas):
    rollups_refresh()
    assert login(world.analyst).get(reverse("dashboards:management")).status_code == 404
    resp = login(world.users["chair"]).get(reverse("dashboards:management"), PERIOD)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Cijfers bijgewerkt op" in html and ">afgeschermd<" in html
    assert (
        login(world.users["decision_maker"]).get(reverse("dashboards:management"), PERIOD).status_code == 200
    )


def test_csv_export_is_logged_and_keeps_suppression(world, login, areas):
    rollups_refresh()
    client = login(world.users["chair"])
    url = reverse("dashboards:export", args=["signals_source"])
    resp = client.get(url, {**PERIOD, "formaat": "csv", "weergave": "management"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    text = resp.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Bron;Aantal signalen"
    assert all(line.endswith(";afgeschermd") for line in text.splitlines()[1:])  # 4 and 1: both hidden
    row = AccessLog.objects.filter(action="export").latest("id")
    assert row.actor_label == world.users["chair"].username and "signals_source csv management" in row.detail
    # an analyst cannot ask for the management figures through the download
    assert login(world.analyst).get(url, {"formaat": "csv", "weergave": "management"}).status_code == 404


def test_xlsx_export_of_the_analysts_own_figure(world, login, areas):
    resp = login(world.analyst).get(
        reverse("dashboards:export", args=["afpak"]),
        {"van": "2024-01-01", "tot": "2025-12-31", "formaat": "xlsx"},
    )
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[1] == ["Jaar", "Verbeurd / opgelegd", "Geïnd", "Openstaand", "Verjaard"]
    assert rows[2] == ["2024", "€ 1.500,00", "€ 400,00", "€ 600,00", "€ 500,00"]
    assert AccessLog.objects.filter(action="export", detail__startswith="afpak xlsx").count() == 1


def test_unknown_figure_or_format(world, login, areas):
    client = login(world.analyst)
    assert client.get(reverse("dashboards:export", args=["geheim"]), {"formaat": "csv"}).status_code == 404
    assert client.get(reverse("dashboards:export", args=["afpak"]), {"formaat": "pdf"}).status_code == 400
    # Bibob figures are not there for a user without the bibob clearance
    assert (
        client.get(reverse("dashboards:export", args=["bibob_branch"]), {"formaat": "csv"}).status_code == 404
    )


def test_map_counts_and_points_only_with_purpose(world, login, with_purpose, areas):
    client = login(world.analyst)
    resp = client.get(reverse("dashboards:map"), PERIOD)
    assert resp.status_code == 200
    html = resp.content.decode()
    data = json.loads(html.split('id="vik-map-data" type="application/json">')[1].split("</script>")[0])
    signals, closures, _measures = data["counts"]["BU01410100"]
    assert signals == 2 and closures == 1
    assert "geometry" not in html.split('id="vik-map-data"')[1].split("</script>")[0]  # outlines come apart
    assert data["points"] == [] and "Adrespunten worden getoond nadat u een doel" in html
    # with a purpose: points of visible addresses with coordinates, and one log row
    world.a1.latitude, world.a1.longitude = "52.360000", "6.640000"
    world.a1.save(update_fields=["latitude", "longitude"])
    with_purpose(client)
    before = AccessLog.objects.count()
    resp = client.get(reverse("dashboards:map"), PERIOD)
    data = json.loads(
        resp.content.decode().split('id="vik-map-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["points"] == [{"lat": 52.36, "lon": 6.64, "n": 2}]
    assert AccessLog.objects.count() == before + 1


def test_buurt_detail_links_to_the_filtered_signal_list(world, login, areas):
    client = login(world.analyst)
    resp = client.get(
        reverse("dashboards:buurt", args=["BU01410100"]),
        {**PERIOD, "fenomeen": "hennep"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Centrum Noordwest" in html
    assert "/signalen/?fenomeen=hennep&amp;gebied=BU01410100&amp;van=2025-01-01&amp;tot=2025-12-31" in html
    assert client.get(reverse("dashboards:buurt", args=["BU00000000"])).status_code == 404


def test_analysis_needs_a_purpose_for_subjects_and_logs_it(world, login, with_purpose, areas):
    client = login(world.analyst)
    params = {**PERIOD, "gebied": "WK014101"}
    resp = client.get(reverse("dashboards:analysis"), params)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Geef eerst een doel op" in html and "Grotestraat" not in html
    with_purpose(client)
    resp = client.get(reverse("dashboards:analysis"), params)
    html = resp.content.decode()
    assert "Grotestraat 1," in html  # A1 is linked to S1 and S3
    row = AccessLog.objects.filter(action="search").latest("id")
    assert "fenomeen- en gebiedsanalyse" in row.detail and row.purpose


def test_other_teams_analysis_shows_none_of_our_subjects(world, login, with_purpose, areas):
    client = with_purpose(login(world.outsider))
    html = client.get(reverse("dashboards:analysis"), {**PERIOD, "gebied": "WK014101"}).content.decode()
    assert "Grotestraat 1," not in html and "Grotestraat 2," not in html


def test_nav_shows_analyse_for_analysts_only(world, login, users):
    assert "Analyse" in login(world.analyst).get(reverse("core:home")).content.decode()
    assert ">Analyse<" not in login(users["partner"]).get(reverse("core:home")).content.decode()


def test_map_table_lists_the_busiest_buurten_and_all_on_request(world, login, areas, monkeypatch):
    """A region has ~2,000 buurten: the table shows the ones with the most signals first, limited,
    with a link that shows them all."""
    from dashboards import views

    monkeypatch.setattr(views, "MAP_TABLE_ROWS", 1)
    client = login(world.analyst)
    html = client.get(reverse("dashboards:map"), PERIOD).content.decode()
    table = html.split('id="buurt-table-title"')[1]
    assert table.count('<th scope="row">') == 1
    assert "BU01410100" in table.split("</table>")[0]  # 2 signals: the busiest buurt comes first
    assert 'data-testid="buurt-table-limited"' in html and "alle=1" in html
    html = client.get(reverse("dashboards:map"), {**PERIOD, "alle": "1"}).content.decode()
    table = html.split('id="buurt-table-title"')[1]
    assert table.count('<th scope="row">') > 1 and 'data-testid="buurt-table-limited"' not in html


def test_outlines_are_reference_data_the_browser_may_keep_and_revalidate(world, login, areas):
    """The map's base layer: CBS outlines without figures, cacheable privately, 304 when unchanged;
    every other page stays no-store."""
    client = login(world.analyst)
    page = client.get(reverse("dashboards:map"), PERIOD)
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    url = html.split('data-outlines-url="')[1].split('"')[0].replace("&amp;", "&")
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Cache-Control"].startswith("private, max-age=")
    geo = resp.json()
    codes = {f["properties"]["code"] for f in geo["features"]}
    assert "BU01410100" in codes and all(set(f["properties"]) == {"code", "name"} for f in geo["features"])
    again = client.get(url, HTTP_IF_NONE_MATCH=resp["ETag"])
    assert again.status_code == 304
    assert client.get(reverse("dashboards:outlines"), {"gebied": "BU99999999"}).status_code == 400


def test_outline_version_changes_when_an_area_file_replaces_the_outlines(world, areas):
    from dashboards import selectors
    from dashboards.geo import read_geojson
    from dashboards.models import Area
    from dashboards.services import areas_load

    before = selectors.outlines_version()
    area = Area.objects.filter(level="BU").order_by("code").first()
    ring = [[6.0, 52.0], [6.01, 52.0], [6.01, 52.01], [6.0, 52.0]]
    feature = {
        "type": "Feature",
        "properties": {"code": area.code, "name": area.name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    features = read_geojson(
        json.dumps({"type": "FeatureCollection", "features": [feature]}).encode(), year=area.year
    )
    areas_load(features=features, year=area.year)
    assert selectors.outlines_version() != before
