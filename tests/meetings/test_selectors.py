"""Per-partner filtering: a partner sees exactly the items shared with its organisation, within
its clearances, once the agenda is locked; staff see the meeting within their clearances."""

from __future__ import annotations

import pytest

from django.http import Http404

from meetings import selectors
from meetings.constants import MeetingState
from meetings.permissions import get_item_for_user, get_meeting_for_user
from tests.factories.meetings import add_action, add_free, add_signal, advance, make_meeting, make_signal
from vik.core.constants import Compartment

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(meeting, chair, team, police_org, riec_org):
    police_item = add_signal(
        meeting,
        chair,
        make_signal(team=team, compartment=Compartment.POLICE),
        summary="Politie-info",
        share=[police_org],
    )
    both = add_free(meeting, chair, title="Gedeeld met beide", share=[police_org, riec_org])
    internal = add_free(meeting, chair, title="Alleen intern")
    tip = add_signal(
        meeting,
        chair,
        make_signal(team=team, compartment=Compartment.MMA),
        summary="Samenvatting voorzitter",
        share=[police_org],
    )
    return {"police": police_item, "both": both, "internal": internal, "tip": tip}


def titles(items):
    return {i.title for i in items}


def test_partner_sees_nothing_of_a_draft_agenda(meeting, agenda, police_user):
    assert selectors.agenda_items(user=police_user, meeting=meeting) == []


def test_each_partner_sees_exactly_its_shared_items_after_lock(
    meeting, chair, agenda, police_user, riec_user
):
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    assert titles(selectors.agenda_items(user=police_user, meeting=meeting)) == {
        agenda["police"].title,
        "Gedeeld met beide",
    }
    assert titles(selectors.agenda_items(user=riec_user, meeting=meeting)) == {"Gedeeld met beide"}
    assert set(selectors.item_list(user=riec_user)) <= set(selectors.item_list(user=police_user)) | {
        agenda["both"]
    }


def test_mma_item_needs_mma_clearance_even_when_shared(meeting, chair, agenda, make_user, police_org):
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    cleared = make_user("partner", org=police_org, clearances=["general", "police", "mma"])
    assert agenda["tip"] in selectors.agenda_items(user=cleared, meeting=meeting)


def test_staff_see_all_items_within_their_clearances(meeting, agenda, analyst, make_user):
    assert len(selectors.agenda_items(user=analyst, meeting=meeting)) == 4
    limited = make_user("analyst", clearances=["general"])
    assert titles(selectors.agenda_items(user=limited, meeting=meeting)) == {
        "Gedeeld met beide",
        "Alleen intern",
    }


def test_other_team_and_non_participant_partner_see_no_meeting(
    meeting, agenda, make_user, other_team, odt_org
):
    outsider = make_user("analyst", org=other_team)
    odt = make_user("partner", org=odt_org, clearances=["general"])
    for user in (outsider, odt):
        assert not selectors.meeting_list(user=user).exists()
        with pytest.raises(Http404):
            get_meeting_for_user(user, meeting.pk)
        with pytest.raises(Http404):
            get_item_for_user(user, agenda["both"].pk)


def test_unshared_item_answers_404_to_the_partner(meeting, chair, agenda, riec_user):
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    with pytest.raises(Http404):
        get_item_for_user(riec_user, agenda["police"].pk)
    assert get_item_for_user(riec_user, agenda["both"].pk) == agenda["both"]


def test_partner_action_list_holds_its_own_actions(
    meeting, chair, agenda, police_org, riec_org, police_user, riec_user
):
    advance(meeting, chair, MeetingState.HELD)
    mine = add_action(agenda["both"], chair, org=police_org)
    theirs = add_action(agenda["both"], chair, org=riec_org)
    assert list(selectors.action_list(user=police_user, mine=True)) == [mine]
    assert list(selectors.action_list(user=riec_user, mine=True)) == [theirs]


def test_candidates_are_flagged_open_signals_not_yet_on_the_agenda(chair, team, police_org):
    meeting = make_meeting(chair=chair, orgs=[police_org])
    flagged = make_signal(team=team)
    make_signal(team=team, casustafel=False)
    make_signal(team=team, status="CLOSED")
    on_it = make_signal(team=team)
    add_signal(meeting, chair, on_it)
    assert selectors.agenda_candidates(user=chair, meeting=meeting).signals == [flagged]


def test_due_action_items_are_candidates_for_the_next_meeting(meeting, chair, agenda, police_org):
    advance(meeting, chair, MeetingState.HELD)
    action = add_action(agenda["both"], chair, org=police_org)
    later = make_meeting(chair=chair, orgs=[police_org], days=30)
    assert selectors.agenda_candidates(user=chair, meeting=later).actions == [action]


def test_a_held_meeting_without_approved_minutes_stays_in_the_list(chair, police_org):
    """Issue #19 (journey per role): the chair reaches yesterday's meeting from the list to write
    its minutes; the home card's "next meeting" is still the next one to come."""
    from meetings.selectors import meeting_list, next_meeting

    held = make_meeting(chair=chair, orgs=[police_org], days=-3)
    add_free(held, chair, title="Eerste punt")
    advance(held, chair, MeetingState.HELD)
    coming = make_meeting(chair=chair, orgs=[police_org], days=7)
    assert list(meeting_list(user=chair, upcoming=True)) == [held, coming]
    assert next_meeting(user=chair) == coming
