"""Need-to-know in every read: list, count, search, duplicates, timeline; filters and keyset
pagination."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from django.utils import timezone

from signals import selectors, services
from signals.constants import SignalStatus
from signals.providers import dashboard, timeline
from signals.selectors import SignalFilters, signal_count, signal_list, signal_page
from tests.factories.signals import make_address, make_person, make_signal
from vik.core.access import share_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, team, other_team):
    analyst = make_user("analyst")
    outsider = make_user("analyst", org=other_team)
    own = make_signal(analyst, summary="Hennepkwekerij in schuur", codes=("hennep",))
    tip = make_signal(analyst, source_code="mma", summary="M-melding hennep", codes=("hennep",))
    police = make_signal(
        analyst,
        source_code="politie",
        legal_regime="WPG",
        summary="Hennep rapportage politie",
        codes=("hennep",),
    )
    foreign = make_signal(outsider, summary="Hennep bij ander team", codes=("hennep",))
    return {
        "analyst": analyst,
        "outsider": outsider,
        "own": own,
        "tip": tip,
        "police": police,
        "foreign": foreign,
    }


def ids(qs):
    return {s.pk for s in qs}


class TestNeedToKnow:
    def test_team_members_see_their_teams_signals_only(self, world):
        mine = ids(signal_list(user=world["analyst"]))
        assert mine == {world["own"].pk, world["tip"].pk, world["police"].pk}
        assert world["foreign"].pk not in ids(
            signal_list(user=world["analyst"], filters=SignalFilters(q="hennep"))
        )
        assert signal_count(signal_list(user=world["analyst"])) == (3, False)
        assert ids(signal_list(user=world["outsider"])) == {world["foreign"].pk}

    def test_compartments_need_clearance(self, world, make_user):
        general_only = make_user("analyst", clearances=["general"])
        visible = ids(signal_list(user=general_only))
        assert world["tip"].pk not in visible and world["police"].pk not in visible
        assert visible == {world["own"].pk}
        found = ids(signal_list(user=general_only, filters=SignalFilters(q="hennep")))
        assert found == {world["own"].pk}

    def test_chair_sees_every_team_within_clearances(self, world, make_user):
        chair = make_user("chair", clearances=["general"])
        assert ids(signal_list(user=chair)) == {world["own"].pk, world["foreign"].pk}

    @pytest.mark.parametrize("role", ["partner", "functional_admin", "privacy_officer"])
    def test_roles_without_signal_work_see_nothing(self, world, make_user, role):
        user = make_user(role)
        assert list(signal_list(user=user)) == []
        assert signal_count(signal_list(user=user)) == (0, False)

    def test_explicit_share_with_a_user_of_another_team(self, world, make_user):
        share_grant(
            obj=world["foreign"],
            target=world["analyst"],
            actor=world["outsider"],
            reason="gezamenlijke casus",
        )
        assert world["foreign"].pk in ids(signal_list(user=world["analyst"]))

    def test_dashboard_counts_only_visible_signals(self, world):
        services.signal_assign(actor=world["analyst"], signal=world["own"], assignee=world["analyst"])
        widget = dashboard(world["analyst"])
        assert "3 signalen wachten" in widget["html"] and world["own"].reference in widget["html"]
        assert world["foreign"].reference not in dashboard(world["analyst"])["html"]


class TestFilters:
    def test_filters_on_status_source_phenomenon_period_area_assignee(self, make_user, team):
        analyst = make_user("analyst")
        today = timezone.localdate()
        centrum = make_address(team, postcode="7607AB", number=1, wijk="WK014101", buurt="BU01410101")
        noord = make_address(team, postcode="7604CD", number=2, wijk="WK014105", buurt="BU01410502")
        a = make_signal(
            analyst,
            source_code="odt",
            codes=("vuurwerk",),
            received=today - timedelta(days=5),
            links=[(centrum, "locatie")],
        )
        b = make_signal(
            analyst,
            source_code="intern",
            codes=("drugs",),
            received=today - timedelta(days=40),
            links=[(noord, "locatie")],
        )
        services.signal_transition(actor=analyst, signal=b, to_status=SignalStatus.TRIAGE)
        services.signal_assign(actor=analyst, signal=b, assignee=analyst)
        cases = [
            (SignalFilters(status=SignalStatus.TRIAGE), {b.pk}),
            (SignalFilters(source="odt"), {a.pk}),
            (SignalFilters(phenomenon="drugs"), {b.pk}),
            (SignalFilters(date_from=today - timedelta(days=10)), {a.pk}),
            (SignalFilters(date_to=today - timedelta(days=10)), {b.pk}),
            (SignalFilters(area="WK014101"), {a.pk}),
            (SignalFilters(area="BU01410502"), {b.pk}),
            (SignalFilters(area="GM0141"), {a.pk, b.pk}),
            (SignalFilters(area="onzin"), set()),
            (SignalFilters(assignee="me"), {b.pk}),
            (SignalFilters(assignee="none"), {a.pk}),
        ]
        for filters, expected in cases:
            assert ids(signal_list(user=analyst, filters=filters)) == expected, filters

    def test_keyset_pages_cover_everything_once_newest_first(self, make_user):
        analyst = make_user("analyst")
        today = timezone.localdate()
        made = [make_signal(analyst, received=today - timedelta(days=i % 4)) for i in range(7)]
        qs = signal_list(user=analyst)
        seen, cursor = [], ""
        while True:
            page, cursor = signal_page(qs, cursor=cursor, size=3)
            seen += page
            if not cursor:
                break
        assert sorted(s.pk for s in seen) == sorted(s.pk for s in made)
        keys = [(s.received_date, s.pk) for s in seen]
        assert keys == sorted(keys, reverse=True)
        assert signal_page(qs, cursor="rommel")[0] == seen[:50]

    def test_count_is_exact_up_to_the_cap_then_says_more(self, make_user, other_team, monkeypatch):
        analyst = make_user("analyst")
        for _ in range(3):
            make_signal(analyst)
        qs = signal_list(user=analyst)
        monkeypatch.setattr(selectors, "COUNT_UP_TO", 3)
        assert signal_count(qs) == (3, False)
        monkeypatch.setattr(selectors, "COUNT_UP_TO", 2)
        assert signal_count(qs) == (2, True)
        # the capped count counts visible signals only
        make_signal(analyst, owner_team=other_team)
        monkeypatch.setattr(selectors, "COUNT_UP_TO", 3)
        assert signal_count(signal_list(user=analyst)) == (3, False)


class TestDuplicatesAndTimeline:
    def test_likely_duplicates_same_address_or_person_in_last_12_months_visible_only(
        self, make_user, team, other_team
    ):
        analyst = make_user("analyst")
        outsider = make_user("analyst", org=other_team)
        address = make_address(team)
        person = make_person(team, bsn="111222333")
        recent = make_signal(analyst, links=[(address, "locatie")])
        old = make_signal(
            analyst, links=[(address, "locatie")], received=timezone.localdate() - timedelta(days=400)
        )
        by_person = make_signal(analyst, links=[(person, "verdachte")])
        hidden = make_signal(outsider, links=[(address, "locatie")])
        found = selectors.signal_duplicates(user=analyst, postcode="7607AB", house_number=12)
        assert {s.pk for s in found} == {recent.pk}
        assert old.pk not in {s.pk for s in found} and hidden.pk not in {s.pk for s in found}
        assert [s.pk for s in selectors.signal_duplicates(user=analyst, bsn="111222333")] == [by_person.pk]
        assert selectors.signal_duplicates(user=analyst) == []

    def test_likely_duplicates_window_is_twelve_calendar_months(self, make_user, team, monkeypatch):
        # "The last 12 months" on 31 March 2026 starts on 31 March 2025 (calendar months, as
        # add_period counts them), not 366 days back.
        monkeypatch.setattr(selectors.timezone, "localdate", lambda: date(2026, 3, 31))
        analyst = make_user("analyst")
        address = make_address(team)
        first_day = make_signal(analyst, links=[(address, "locatie")], received=date(2025, 3, 31))
        day_before = make_signal(analyst, links=[(address, "locatie")], received=date(2025, 3, 30))
        found = {s.pk for s in selectors.signal_duplicates(user=analyst, postcode="7607AB", house_number=12)}
        assert first_day.pk in found
        assert day_before.pk not in found

    def test_timeline_lists_only_signals_the_user_may_see(self, make_user, team, other_team):
        analyst = make_user("analyst")
        outsider = make_user("analyst", org=other_team)
        address = make_address(team)
        mine = make_signal(analyst, links=[(address, "locatie")], summary="Eigen signaal")
        make_signal(outsider, links=[(address, "locatie")], summary="Signaal ander team")
        entries = timeline(analyst, address)
        assert [e.url for e in entries] == [f"/signalen/{mine.pk}/"]
        assert "Eigen signaal" in entries[0].detail
        assert len(timeline(outsider, address)) == 1
        assert timeline(make_user("partner"), address) == []
