"""The figures against the hand-counted world of conftest.py, for each viewer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dashboards import selectors
from dashboards.selectors import DashFilters
from dashboards.services import rollups_refresh
from tests.dashboards.conftest import make_signal

YEAR = DashFilters(date(2025, 1, 1), date(2025, 12, 31))
ALL = DashFilters(date(2024, 1, 1), date(2025, 12, 31))


def src(code):
    from signals.models import SignalSource

    return SignalSource.objects.get(code=code).label


def table(fig):
    return {row[0]: row[1:] for row in fig.rows}


def test_signals_per_month_and_phenomenon_counts_only_own_team(world):
    fig = selectors.fig_signals_per_month(user=world.analyst, f=YEAR)
    assert fig.columns == ["Maand", "Drugs", "Fraude", "Hennep"]
    # S4 (other team, hennep, February) is not counted
    assert table(fig) == {"2025-01": [1, 0, 2], "2025-02": [1, 0, 0], "2025-03": [0, 1, 0]}


def test_signals_per_source_and_status(world):
    assert table(selectors.fig_signals_per_source(user=world.analyst, f=YEAR)) == {
        src("politie"): [3],
        src("mma"): [1],
    }
    assert table(selectors.fig_signals_per_status(user=world.analyst, f=YEAR)) == {
        "Ontvangen": [2],
        "Triage": [1],
        "Afgesloten": [1],
    }


def test_chair_sees_all_teams_and_outsider_only_their_own(world):
    chair = world.users["chair"]
    assert table(selectors.fig_signals_per_source(user=chair, f=YEAR)) == {
        src("politie"): [4],
        src("mma"): [1],
    }
    outsider = table(selectors.fig_signals_per_month(user=world.outsider, f=YEAR))
    assert outsider == {"2025-02": [1]}


def test_compartment_clearance_limits_the_count(world, make_user):
    # a Bibob specialist has signals.view_signal but no mma/police clearance and another team
    bibob_in_team = make_user("bibob", org=world.s1.owner_team)
    fig = selectors.fig_signals_per_source(user=bibob_in_team, f=YEAR)
    assert table(fig) == {src("politie"): [2]}  # S1 and S3; not S2 (mma) or S5 (police)


def test_filters_phenomenon_area_team_and_period(world, team, other_team):
    hennep = DashFilters(date(2025, 1, 1), date(2025, 12, 31), phenomenon="hennep")
    assert table(selectors.fig_signals_per_status(user=world.analyst, f=hennep)) == {
        "Ontvangen": [1],
        "Triage": [1],
    }
    buurt = DashFilters(date(2025, 1, 1), date(2025, 12, 31), area="BU01410100")
    assert table(selectors.fig_signals_per_status(user=world.analyst, f=buurt)) == {
        "Ontvangen": [1],
        "Afgesloten": [1],
    }
    wijk = DashFilters(date(2025, 1, 1), date(2025, 12, 31), area="WK014101", phenomenon="hennep")
    assert sum(r[1] for r in selectors.fig_signals_per_source(user=world.analyst, f=wijk).rows) == 2
    february = DashFilters(date(2025, 2, 1), date(2025, 2, 28))
    assert table(selectors.fig_signals_per_source(user=world.analyst, f=february)) == {src("politie"): [1]}
    other = DashFilters(date(2025, 1, 1), date(2025, 12, 31), team=other_team)
    assert selectors.fig_signals_per_source(user=world.analyst, f=other).rows == []


def test_lead_times_to_first_measure_and_casustafel_decision(world):
    fig = selectors.fig_lead_times(user=world.analyst, f=YEAR)
    rows = table(fig)
    assert rows["2025-01"][0] == 22.0 and rows["2025-01"][1] == 1  # S1: 10 Jan -> 1 Feb
    assert rows["2025-02"][2] == 10.0 and rows["2025-02"][3] == 1  # S3: 5 Feb -> 15 Feb
    # the other team's measure on S4 never counts for the analyst
    assert selectors.fig_lead_times(user=world.outsider, f=YEAR).rows[0][1:3] == [
        10.0,
        1,
    ]  # S4: 10 Feb -> 20 Feb


def test_measures_closures_and_deadlines(world):
    f = DashFilters()
    measures = selectors.fig_measures_kind_state(user=world.analyst, f=f)
    assert measures.rows == [["Sluiting woning (art. 13b Opiumwet)", 1]]
    closures = selectors.fig_closures_active(user=world.analyst, f=f)
    assert closures.rows == [["Sluiting woning (art. 13b Opiumwet)", 1]]
    deadlines = selectors.fig_deadlines_due(user=world.analyst, f=f)
    assert deadlines.rows == [["Sluiting woning (art. 13b Opiumwet)", 1, 0, 0]]
    chair = selectors.fig_closures_active(user=world.users["chair"], f=f)
    assert sorted(r[1] for r in chair.rows) == [1, 1]


def test_afpak_totals_per_year(world):
    fig = selectors.fig_afpak(user=world.analyst, f=ALL)
    assert table(fig) == {
        "2024": [Decimal("1500.00"), Decimal("400.00"), Decimal("600.00"), Decimal("500.00")],
        "2025": [Decimal("200.00"), Decimal("200.00"), Decimal("0.00"), Decimal("0.00")],
    }
    assert fig.display_rows()[0][1] == "€ 1.500,00"


def test_bibob_figures_only_for_users_cleared_for_bibob(world):
    keys = {f.key for f in selectors.analyst_figures(user=world.analyst, f=YEAR)}
    assert "bibob_branch" not in keys and "bibob_outcome" not in keys
    bibob_keys = {f.key for f in selectors.analyst_figures(user=world.users["bibob"], f=YEAR)}
    assert {"bibob_branch", "bibob_outcome"} <= bibob_keys


def test_a_user_of_a_team_without_records_sees_no_figure(world, make_user, db):
    from tests.factories.core import OrgUnitFactory

    empty_team = OrgUnitFactory(code="leeg")
    nobody = make_user("analyst", org=empty_team)
    for fig in selectors.analyst_figures(user=nobody, f=ALL):
        numbers = [v for row in fig.rows for v in row[1:] if isinstance(v, (int, Decimal))]
        assert not any(numbers), fig.key


def test_management_view_suppresses_small_cells(world, team, other_team, users):
    for i in range(5):
        make_signal(other_team if i % 2 else team, date(2025, 4, 3 + i))
    rollups_refresh()
    chair = users["chair"]
    hidden = selectors.suppressed_marker()
    figs = {f.key: f for f in selectors.management_figures(user=chair, f=YEAR)}
    month = table(figs["signals_month"])
    assert month["2025-04"][figs["signals_month"].columns.index("Hennep") - 1] == 5
    assert month["2025-01"] == [hidden, hidden, hidden]  # drugs 1, fraude 0, hennep 2
    # every cell of every management figure is 0, >= 5 or hidden
    for fig in figs.values():
        for row in fig.rows:
            for v in row[1:]:
                assert v == hidden or v == 0 or v >= 5, (fig.key, row)
    # chart data never carries a hidden number
    data = figs["signals_status"].chart_data()
    assert data["datasets"][0]["data"] == [8.0, None, None]


def test_a_hidden_count_cannot_be_worked_back_from_a_figure_of_the_same_base(world, team, users):
    """The finding: 'per source' hid M. (3) but showed police (9), and 'per status' showed every
    cell, so M. = 12 - 9. Per source, per status and per wijk count the same signals: each must
    hide none or at least two cells (or be a single bar), and no hidden cell sits among the counts
    by its size."""
    for i in range(5):
        make_signal(team, date(2025, 4, 3 + i))
    rollups_refresh()
    hidden = selectors.suppressed_marker()
    figs = {f.key: f for f in selectors.management_figures(user=users["chair"], f=YEAR)}
    # police 9 and M. 3: showing the 9 would give the 3 away (12 in total, from 'per status')
    assert table(figs["signals_source"]) == {src("politie"): [hidden], src("mma"): [hidden]}
    assert table(figs["signals_status"])["Ontvangen"] == [8]
    for key in ("signals_source", "signals_status", "signals_wijk"):
        values = [row[1] for row in figs[key].rows]
        assert values.count(hidden) != 1 or len(values) == 1, key
        shown = [v for v in values if v != hidden]
        assert values == shown + [hidden] * values.count(hidden), key  # hidden rows last


def test_management_view_respects_compartments(world, make_user, users, team):
    rollups_refresh()
    general_only = make_user("chair", clearances=["general"])
    figs = {f.key: f for f in selectors.management_figures(user=general_only, f=YEAR)}
    assert src("mma") not in table(figs["signals_source"])


def test_buurt_counts_and_detail(world):
    counts = selectors.buurt_counts(user=world.analyst, f=YEAR)
    assert counts["BU01410100"] == {"signals": 2, "closures": 1, "measures": 1}
    assert counts["BU01410101"]["signals"] == 1


def test_recurring_subjects_are_need_to_know_filtered(world):
    rows = selectors.recurring_subjects(user=world.analyst, f=YEAR)
    assert [(r["kind"], r["obj"].pk, r["signals"]) for r in rows] == [("address", world.a1.pk, 2)]
    assert str(rows[0]["obj"]) == str(world.a1)  # the address's own display name
    assert selectors.recurring_subjects(user=world.outsider, f=YEAR) == []


def test_recurring_person_shows_its_display_name_and_hidden_person_is_left_out(world, other_team):
    from signals.models import SignalSubject
    from tests.factories.signals import make_person

    seen = make_person(world.analyst.org_unit, geslachtsnaam="Berg", voornamen="Anna")
    seen.voorvoegsel = "van den"
    seen.save(update_fields=["voorvoegsel"])
    hidden = make_person(other_team, geslachtsnaam="Verborgen")
    for signal in (world.s1, world.s2, world.s3):
        SignalSubject.objects.create(signal=signal, person=seen, role="betrokkene")
        SignalSubject.objects.create(signal=signal, person=hidden, role="betrokkene")
    rows = selectors.recurring_subjects(user=world.analyst, f=YEAR)
    assert [(r["kind"], r["obj"].pk, r["signals"]) for r in rows] == [
        ("person", seen.pk, 3),
        ("address", world.a1.pk, 2),
    ]
    assert str(rows[0]["obj"]) == "Anna van den Berg"


def test_displacement_hint_after_a_closure(world, team):
    from tests.dashboards.conftest import make_address

    nearby = make_address(team, number=9)  # same buurt as A1, no coordinates
    make_signal(team, date(2025, 3, 1), address=nearby)
    make_signal(team, date(2025, 4, 1), address=nearby)
    hints = selectors.displacement_hints(user=world.analyst, f=DashFilters(phenomenon="hennep"), months=6)
    assert [(h["measure"].pk, h["before"], h["after"]) for h in hints] == [(world.m1.pk, 0, 2)]
    # the outsider may not see M1: no hint about it
    assert all(
        h["measure"].pk != world.m1.pk
        for h in selectors.displacement_hints(user=world.outsider, f=DashFilters())
    )


def test_displacement_within_metres(world, team):
    from tests.dashboards.conftest import make_address, make_measure

    here = make_address(team, number=20, buurt="BU01410102", lat="52.360000", lon="6.650000")
    close = make_address(team, number=21, buurt="BU01410103", lat="52.362000", lon="6.650000")  # ~222 m
    far = make_address(team, number=22, buurt="BU01410103", lat="52.380000", lon="6.650000")  # ~2.2 km
    m = make_measure(team, world.analyst, address=here, start=date(2025, 5, 1))
    make_signal(team, date(2025, 6, 1), address=close)
    make_signal(team, date(2025, 6, 2), address=far)
    hints = {
        h["measure"].pk: h
        for h in selectors.displacement_hints(user=world.analyst, f=DashFilters(), metres=500)
    }
    assert hints[m.pk]["after"] == 1
    hints = {
        h["measure"].pk: h
        for h in selectors.displacement_hints(user=world.analyst, f=DashFilters(), metres=100)
    }
    assert m.pk not in hints


def test_displacement_counts_exactly_the_addresses_within_the_distance_in_every_direction(world, team):
    """The neighbour search uses grid cells; whatever the direction (east-west degrees are shorter
    than north-south ones at 52°), an address counts if and only if it lies within the distance."""
    import math

    from tests.dashboards.conftest import make_address, make_measure

    lat0, lon0 = 52.36, 6.65
    m_lat = 111_195.0  # metres per degree of latitude (haversine radius 6,371 km)
    m_lon = m_lat * math.cos(math.radians(lat0))
    here = make_address(team, number=30, buurt="", lat=f"{lat0:.6f}", lon=f"{lon0:.6f}")
    m = make_measure(team, world.analyst, address=here, start=date(2025, 5, 1))
    spots = [  # (metres east, metres north): inside 500 m or not
        (480, 0, True), (-520, 0, False), (0, 495, True), (0, -510, False),
        (340, 340, True), (-360, -360, False), (20, -470, True), (1200, 10, False),
    ]  # fmt: skip
    for i, (east, north, _inside) in enumerate(spots):
        addr = make_address(
            team,
            number=31 + i,
            buurt="",
            lat=f"{lat0 + north / m_lat:.6f}",
            lon=f"{lon0 + east / m_lon:.6f}",
        )
        make_signal(team, date(2025, 6, 1), address=addr)
    hints = {
        h["measure"].pk: h
        for h in selectors.displacement_hints(user=world.analyst, f=DashFilters(), metres=500)
    }
    assert hints[m.pk]["after"] == sum(1 for *_xy, inside in spots if inside)


@pytest.mark.parametrize("key", sorted(selectors.FIGURES - {"signals_wijk"}))
def test_every_figure_is_reachable_for_export(world, key):
    fig = selectors.figure_by_key(
        user=world.users["bibob"] if key.startswith("bibob") else world.analyst,
        f=YEAR,
        key=key,
        management=False,
    )
    assert fig is not None and fig.key == key


def test_action_items_per_partner_hand_counted_and_need_to_know(
    users, make_user, police_org, riec_org, other_team
):
    """Open/overdue action items per owner organisation: a done action is not counted, an overdue
    one counts in both columns, and a viewer who may not see the meeting sees no figure rows."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.constants import ActionStatus, MeetingState
    from meetings.services import action_set_status
    from tests.factories.meetings import add_action, add_free, advance, make_meeting

    chair = users["chair"]
    meeting = make_meeting(chair=chair, orgs=[police_org, riec_org], days=-10)
    item = add_free(meeting, chair, title="Pand Marktstraat", share=[police_org, riec_org])
    advance(meeting, chair, MeetingState.HELD)
    today = timezone.localdate()
    add_action(item, chair, org=police_org, due=today - timedelta(days=2))
    add_action(item, chair, org=police_org)
    add_action(item, chair, org=riec_org)
    done = add_action(item, chair, org=riec_org, due=today - timedelta(days=5))
    action_set_status(actor=chair, action=done, status=ActionStatus.DONE)

    fig = selectors.fig_action_items(user=chair, f=YEAR)
    assert fig.rows == [[police_org.name, 2, 1], [riec_org.name, 1, 0]]
    outsider = make_user("analyst", org=other_team, username="buiten_acties")
    assert selectors.fig_action_items(user=outsider, f=YEAR).rows == []


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 3, 15), date(2025, 4, 1)),
        (date(2026, 12, 31), date(2026, 1, 1)),
        (date(2028, 2, 29), date(2027, 3, 1)),
    ],
)
def test_default_period_is_the_last_twelve_whole_months_up_to_today(today, start):
    from dashboards.forms import default_period

    assert default_period(today) == (start, today)


# --- plans that follow the viewer's rows (docs/performance.md, "Dashboards at M and L") ---------


def test_without_clearance_the_map_points_and_lead_times_are_empty(world, make_user):
    nobody = make_user("analyst", org=world.s1.owner_team, clearances=[])
    assert selectors.buurt_counts(user=nobody, f=YEAR) == {}
    assert selectors.signal_points(user=nobody, f=YEAR) == []
    assert selectors.fig_lead_times(user=nobody, f=YEAR).rows == []
    # an analyst of the team still sees them (the same calls, another viewer)
    assert selectors.buurt_counts(user=world.analyst, f=YEAR)


def test_a_signal_counts_once_per_buurt_however_many_of_its_addresses_lie_there(world, team):
    from signals.models import SignalSubject
    from tests.dashboards.conftest import make_address

    before = selectors.buurt_counts(user=world.analyst, f=YEAR)["BU01410100"]["signals"]
    second = make_address(team, number=77, lat="52.350000", lon="6.660000")  # also BU01410100
    elsewhere = make_address(team, number=78, buurt="BU01410102", lat="52.351000", lon="6.661000")
    SignalSubject.objects.create(signal=world.s1, address=second)
    SignalSubject.objects.create(signal=world.s1, address=elsewhere)
    counts = selectors.buurt_counts(user=world.analyst, f=YEAR)
    assert counts["BU01410100"]["signals"] == before  # S1 was there already
    assert counts["BU01410102"]["signals"] == 1
    points = {(p["lat"], p["lon"]): p["n"] for p in selectors.signal_points(user=world.analyst, f=YEAR)}
    assert points[(52.35, 6.66)] == 1 and points[(52.351, 6.661)] == 1
    # S4 (the other team's) at a point of its own is not on the analyst's map
    assert all(n >= 1 for n in points.values())
    assert selectors.buurt_counts(user=world.outsider, f=YEAR).get("BU01410102") is None


def test_phenomenon_filter_by_id_counts_the_same_as_by_code(world):
    from dataclasses import replace

    from signals.models import Phenomenon

    by_code = DashFilters(date(2025, 1, 1), date(2025, 12, 31), phenomenon="hennep")
    by_id = replace(by_code, phenomenon_id=Phenomenon.objects.get(code="hennep").pk)
    assert by_id == by_code  # the id is not part of the filter's identity
    for user in (world.analyst, world.outsider, world.users["chair"]):
        for fig in (selectors.fig_signals_per_status, selectors.fig_signals_per_month, selectors.trend):
            assert fig(user=user, f=by_id).rows == fig(user=user, f=by_code).rows
        assert selectors.buurt_counts(user=user, f=by_id) == selectors.buurt_counts(user=user, f=by_code)
        assert selectors.fig_measures_kind_state(user=user, f=by_id).rows == (
            selectors.fig_measures_kind_state(user=user, f=by_code).rows
        )


def test_filter_form_passes_the_phenomenon_id(db):
    from dashboards.forms import FilterForm
    from tests.dashboards.conftest import phenomenon

    hennep = phenomenon("hennep")
    form = FilterForm({"fenomeen": "hennep"})
    assert form.is_valid(), form.errors
    assert form.filters().phenomenon_id == hennep.pk
    light = FilterForm({"fenomeen": "hennep"}, light=True)
    assert light.is_valid() and light.filters().phenomenon_id == hennep.pk
    none = FilterForm({})
    assert none.is_valid() and none.filters().phenomenon_id is None


@pytest.mark.parametrize("phen", ["", "hennep", "drugs"])
def test_management_groupings_equal_one_group_by_per_figure(world, users, phen):
    """The one-scan GROUPING SETS sums equal a separate GROUP BY per figure over the rollup."""
    from django.db.models import Sum

    from dashboards.selectors.panels import _rollup_groupings

    rollups_refresh()
    f = DashFilters(date(2025, 1, 1), date(2025, 12, 31), phenomenon=phen)
    for user in (users["chair"], world.analyst, users["bibob"]):
        qs = selectors.rollup_rows(user=user, f=f)
        base = qs.filter(phenomenon=phen) if phen else qs
        counted = base if phen else base.filter(primary=True)
        got = _rollup_groupings(base, primary_only=not phen)
        expected = {
            "month": {(m, p): n for m, p, n in base.values_list("month", "phenomenon").annotate(n=Sum("n"))},
            "source": dict(counted.values_list("source").annotate(n=Sum("n"))),
            "status": dict(counted.values_list("status").annotate(n=Sum("n"))),
            "wijk": dict(counted.exclude(wijk_code="").values_list("wijk_code").annotate(n=Sum("n"))),
        }
        assert {(m, p): n for m, p, _l, n in got.get("month", [])} == expected["month"]
        for kind in ("source", "status", "wijk"):
            assert {key: n for _m, key, _l, n in got.get(kind, [])} == expected[kind], (user, kind)
    assert expected["month"] or phen == "drugs"  # the hand-counted world has rows to compare


def test_analysis_selection_gives_the_same_trend_and_recurring_subjects(world, other_team):
    from signals.models import SignalSubject
    from tests.factories.signals import make_person

    person = make_person(world.analyst.org_unit, geslachtsnaam="Berg")
    for signal in (world.s1, world.s2, world.s4):  # S4: the other team's signal
        SignalSubject.objects.create(signal=signal, person=person, role="betrokkene")
    for user in (world.analyst, world.outsider, world.users["chair"]):
        for f in (
            YEAR,
            DashFilters(date(2025, 1, 1), date(2025, 12, 31), phenomenon="hennep", area="WK014101"),
        ):
            selected = selectors.analysis_selection(user=user, f=f)
            assert (
                selectors.trend(user=user, f=f, selected=selected).rows
                == selectors.trend(user=user, f=f).rows
            )
            with_sel = selectors.recurring_subjects(user=user, f=f, selected=selected)
            without = selectors.recurring_subjects(user=user, f=f)
            assert [(r["kind"], r["obj"].pk, r["signals"]) for r in with_sel] == [
                (r["kind"], r["obj"].pk, r["signals"]) for r in without
            ]
    assert selectors.trend(user=world.analyst, f=YEAR).rows == [
        ["2025-01", 2],
        ["2025-02", 1],
        ["2025-03", 1],
    ]
