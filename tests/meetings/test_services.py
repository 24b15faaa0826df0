"""The casustafel's rules: states, agenda building, sharing, decisions and action items."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.db import DatabaseError, transaction
from django.utils import timezone

from meetings import services
from meetings.constants import ActionStatus, DecisionKind, ItemKind, MeetingState
from meetings.models import Decision, MeetingStateChange
from tests.factories.meetings import add_action, add_free, add_signal, advance, make_meeting, make_signal
from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_create_shares_meeting_with_participants_and_starts_history(meeting, police_org, riec_org, team):
    assert meeting.state == MeetingState.PLANNED
    assert set(meeting.visible_to) == {team.team_token, police_org.org_token, riec_org.org_token}
    assert list(meeting.state_changes.values_list("to_state", flat=True)) == [MeetingState.PLANNED]


def test_full_cycle_appends_each_state(meeting, chair):
    add_free(meeting, chair)
    advance(meeting, chair, MeetingState.MINUTES_APPROVED)
    assert list(meeting.state_changes.values_list("to_state", flat=True)) == [
        MeetingState.PLANNED,
        MeetingState.AGENDA_LOCKED,
        MeetingState.HELD,
        MeetingState.MINUTES_DRAFT,
        MeetingState.MINUTES_APPROVED,
    ]
    assert meeting.approved_at is not None


def test_state_history_is_append_only(meeting):
    change = meeting.state_changes.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        MeetingStateChange.objects.filter(pk=change.pk).update(reason="gewijzigd")
    with pytest.raises(DatabaseError), transaction.atomic():
        MeetingStateChange.objects.filter(pk=change.pk).delete()


def test_locking_an_empty_agenda_is_refused(meeting, chair):
    with pytest.raises(ApplicationError, match="agenda zonder punten"):
        services.meeting_transition(actor=chair, meeting=meeting, to_state=MeetingState.AGENDA_LOCKED)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


@pytest.mark.parametrize("state", [MeetingState.PLANNED, MeetingState.AGENDA_LOCKED])
def test_approving_minutes_of_a_meeting_not_yet_held_is_refused(meeting, chair, state):
    add_free(meeting, chair)
    advance(meeting, chair, state) if state != MeetingState.PLANNED else None
    with pytest.raises(ApplicationError, match="nadat de casustafel is gehouden"):
        services.meeting_transition(actor=chair, meeting=meeting, to_state=MeetingState.MINUTES_APPROVED)


def test_skipping_the_draft_minutes_is_refused(meeting, chair):
    add_free(meeting, chair)
    advance(meeting, chair, MeetingState.HELD)
    with pytest.raises(ApplicationError, match="kan niet"):
        services.meeting_transition(actor=chair, meeting=meeting, to_state=MeetingState.MINUTES_APPROVED)


def test_chair_may_reopen_a_locked_agenda_but_not_a_held_meeting(meeting, chair):
    add_free(meeting, chair)
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    services.meeting_transition(actor=chair, meeting=meeting, to_state=MeetingState.PLANNED)
    advance(meeting, chair, MeetingState.HELD)
    with pytest.raises(ApplicationError):
        services.meeting_transition(actor=chair, meeting=meeting, to_state=MeetingState.PLANNED)


@pytest.mark.parametrize("role", ["analyst", "partner", "decision_maker"])
def test_only_the_chair_moves_the_meeting(meeting, chair, make_user, role):
    add_free(meeting, chair)
    with pytest.raises(ApplicationError, match="voorzitter"):
        services.meeting_transition(
            actor=make_user(role), meeting=meeting, to_state=MeetingState.AGENDA_LOCKED
        )


def test_adding_a_signal_moves_it_onto_the_casustafel_agenda(meeting, chair, team):
    signal = make_signal(team=team)
    item = add_signal(meeting, chair, signal)
    signal.refresh_from_db()
    assert signal.status == "CASUSTAFEL_AGENDA"
    assert item.kind == ItemKind.SIGNAL and item.compartment == Compartment.GENERAL
    assert item.title.startswith(signal.reference)


def test_adding_an_item_the_chair_may_not_see_is_refused(meeting, chair, other_team, bibob_team):
    hidden_team = make_signal(team=other_team)
    chair.clearances = ["general"]
    chair.save(update_fields=["clearances"])
    police = make_signal(team=chair.org_unit, compartment=Compartment.POLICE)
    for signal in (police,):
        with pytest.raises(ApplicationError, match="geen toegang"):
            services.item_add(actor=chair, meeting=meeting, kind=ItemKind.SIGNAL, ref_id=signal.pk)
    with pytest.raises(ApplicationError, match="geen toegang"):
        services.item_add(actor=chair, meeting=meeting, kind=ItemKind.SIGNAL, ref_id=999999)
    # the chair sees every team (view_all_teams), so another team's signal is fine
    assert services.item_add(actor=chair, meeting=meeting, kind=ItemKind.SIGNAL, ref_id=hidden_team.pk)


def test_mma_signal_gets_a_neutral_title(meeting, chair, team):
    tip = make_signal(team=team, compartment=Compartment.MMA, summary="Buurman kweekt hennep op zolder")
    item = add_signal(meeting, chair, tip)
    assert "hennep" not in item.title and item.compartment == Compartment.MMA


def test_same_signal_twice_and_adding_after_lock_are_refused(meeting, chair, team):
    signal = make_signal(team=team)
    add_signal(meeting, chair, signal)
    with pytest.raises(ApplicationError, match="al op de agenda"):
        add_signal(meeting, chair, signal)
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    with pytest.raises(ApplicationError, match="Heropen de agenda"):
        add_free(meeting, chair, title="Te laat")


def test_police_item_is_shared_with_the_police_only(meeting, chair, team, police_org, riec_org):
    item = add_signal(meeting, chair, make_signal(team=team, compartment=Compartment.POLICE))
    with pytest.raises(ApplicationError, match="alleen met de politie"):
        services.item_update(
            actor=chair, item=item, title=item.title, summary="", visible_orgs=[police_org, riec_org]
        )
    services.item_update(actor=chair, item=item, title=item.title, summary="", visible_orgs=[police_org])
    assert list(item.visible_orgs.all()) == [police_org]


def test_sharing_with_a_non_participant_is_refused(meeting, chair, odt_org):
    item = add_free(meeting, chair)
    with pytest.raises(ApplicationError, match="neemt niet deel"):
        services.item_update(actor=chair, item=item, title=item.title, summary="", visible_orgs=[odt_org])


def test_removing_a_participant_unshares_its_items(meeting, chair, police_org, riec_org):
    item = add_free(meeting, chair, share=[police_org, riec_org])
    services.meeting_update(
        actor=chair,
        meeting=meeting,
        starts_at=meeting.starts_at,
        location="",
        title="",
        participant_orgs=[police_org],
        participant_users=[],
    )
    meeting.refresh_from_db()
    assert list(item.visible_orgs.all()) == [police_org]
    assert riec_org.org_token not in meeting.visible_to


def test_move_and_reorder(meeting, chair):
    a, b, c = (add_free(meeting, chair, title=t) for t in ("Eerste", "Tweede", "Derde"))
    services.item_move(actor=chair, item=c, direction="up")
    assert list(meeting.items.values_list("title", flat=True)) == ["Eerste", "Derde", "Tweede"]
    services.item_reorder(actor=chair, meeting=meeting, ordered_ids=[b.pk, a.pk, c.pk])
    assert list(meeting.items.values_list("title", flat=True)) == ["Tweede", "Eerste", "Derde"]
    with pytest.raises(ApplicationError, match="volgorde"):
        services.item_reorder(actor=chair, meeting=meeting, ordered_ids=[a.pk, b.pk])


def test_removing_an_item_puts_the_signal_back_to_enrichment(meeting, chair, team):
    signal = make_signal(team=team)
    item = add_signal(meeting, chair, signal)
    services.item_remove(actor=chair, item=item)
    signal.refresh_from_db()
    assert signal.status == "ENRICHMENT" and not meeting.items.exists()


@pytest.mark.parametrize(
    "kind,status,outcome",
    [
        (DecisionKind.LOCAL, "CASE_OPEN", "local"),
        (DecisionKind.RIEC, "CASE_OPEN", "riec"),
        (DecisionKind.CLOSE, "CLOSED", "close"),
    ],
)
def test_decision_updates_the_signal_through_its_workflow(meeting, chair, team, kind, status, outcome):
    signal = make_signal(team=team)
    item = add_signal(meeting, chair, signal)
    advance(meeting, chair, MeetingState.HELD)
    services.decision_record(actor=chair, item=item, kind=kind, text="Besproken")
    signal.refresh_from_db()
    assert (signal.status, signal.casustafel_outcome, signal.casustafel) == (status, outcome, False)
    assert signal.status_changes.filter(to_status=status).exists()


def test_decision_other_leaves_the_signal_alone_and_is_recorded_once(meeting, chair, team):
    signal = make_signal(team=team)
    item = add_signal(meeting, chair, signal)
    advance(meeting, chair, MeetingState.HELD)
    with pytest.raises(ApplicationError, match="Beschrijf"):
        services.decision_record(actor=chair, item=item, kind=DecisionKind.OTHER)
    services.decision_record(actor=chair, item=item, kind=DecisionKind.OTHER, text="Volgende keer")
    signal.refresh_from_db()
    assert signal.status == "CASUSTAFEL_AGENDA" and signal.casustafel_outcome == ""
    with pytest.raises(ApplicationError, match="al besloten"):
        services.decision_record(actor=chair, item=item, kind=DecisionKind.LOCAL)


def test_decision_before_the_meeting_is_held_is_refused(meeting, chair):
    item = add_free(meeting, chair)
    with pytest.raises(ApplicationError, match="gehouden"):
        services.decision_record(actor=chair, item=item, kind=DecisionKind.LOCAL)


def test_mma_tip_without_police_alignment_cannot_open_a_case(meeting, chair, team):
    tip = make_signal(team=team, compartment=Compartment.MMA, status="POLICE_ALIGNMENT_PENDING")
    item = add_signal(meeting, chair, tip)
    advance(meeting, chair, MeetingState.HELD)
    with pytest.raises(ApplicationError):
        services.decision_record(actor=chair, item=item, kind=DecisionKind.LOCAL)
    assert not Decision.objects.filter(item=item).exists()
    tip.refresh_from_db()
    assert tip.status == "POLICE_ALIGNMENT_PENDING"


def test_action_for_a_partner_needs_the_item_shared_with_it(
    meeting, chair, police_org, riec_org, police_user
):
    item = add_free(meeting, chair, share=[police_org])
    advance(meeting, chair, MeetingState.HELD)
    with pytest.raises(ApplicationError, match="Deel het agendapunt eerst"):
        add_action(item, chair, org=riec_org)
    with pytest.raises(ApplicationError, match="hoort niet bij"):
        add_action(item, chair, org=police_org, user=chair)
    with pytest.raises(ApplicationError, match="voor de datum"):
        add_action(item, chair, org=police_org, due=timezone.localdate() - timedelta(days=1))
    action = add_action(item, chair, org=police_org, user=police_user)
    assert action.status == ActionStatus.OPEN and action.changes.count() == 1


def test_owner_partner_updates_status_other_partner_cannot(
    meeting, chair, police_org, riec_org, police_user, riec_user
):
    item = add_free(meeting, chair, share=[police_org, riec_org])
    advance(meeting, chair, MeetingState.HELD)
    action = add_action(item, chair, org=police_org)
    services.action_set_status(
        actor=police_user, action=action, status=ActionStatus.IN_PROGRESS, note="Opgepakt"
    )
    with pytest.raises(ApplicationError, match="eigenaar"):
        services.action_set_status(actor=riec_user, action=action, status=ActionStatus.DONE)
    services.action_set_status(actor=chair, action=action, status=ActionStatus.DONE)
    assert list(action.changes.values_list("to_status", flat=True)) == ["open", "in_progress", "done"]
    assert action.changes.get(to_status="in_progress").actor == police_user


def test_no_changes_after_minutes_are_approved(meeting, chair, police_org):
    item = add_free(meeting, chair)
    advance(meeting, chair, MeetingState.MINUTES_APPROVED)
    with pytest.raises(ApplicationError, match="vastgesteld"):
        services.item_update(actor=chair, item=item, title="Nieuw", summary="", visible_orgs=[police_org])
    with pytest.raises(ApplicationError, match="gehouden"):
        services.decision_record(actor=chair, item=item, kind=DecisionKind.LOCAL)


def test_bibob_compartment_never_enters_the_agenda(meeting, chair, team):
    chair.clearances = ["general", "mma", "police", "bibob"]
    chair.save(update_fields=["clearances"])
    signal = make_signal(team=team, compartment=Compartment.BIBOB)
    with pytest.raises(ApplicationError, match="Bibob"):
        services.item_add(actor=chair, meeting=meeting, kind=ItemKind.SIGNAL, ref_id=signal.pk)


def test_meeting_create_requires_the_chair(make_user):
    with pytest.raises(ApplicationError):
        make_meeting(chair=make_user("analyst"))
