"""The casustafel in privacy operations: a meeting's documents become due five years after the
meeting, are destroyed with agenda, decisions, actions, both append-only histories (through the
retention path only), frozen minutes and reminders, or anonymised keeping the statistics; an
access request shows the agenda items about the person as summaries, police and MMA items
withheld with their ground."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.db import connection, transaction
from django.utils import timezone

from meetings import services
from meetings.constants import DecisionKind, ItemKind, MeetingState
from meetings.models import (
    ActionItem,
    ActionItemChange,
    AgendaItem,
    FrozenMinutes,
    Meeting,
    MeetingStateChange,
)
from meetings.privacy import meeting_destroy
from meetings.reminders import send_action_item_reminders
from tests.factories.meetings import add_free, advance
from tests.factories.subjects import PersonFactory
from tests.privacy.test_retention import _tables_mentioning
from vik.core.constants import Compartment
from vik.core.models import Notification
from vik.privacy.models import RetentionRule, Tombstone
from vik.privacy.services import (
    destruction_list_approve,
    destruction_list_carry_out,
    dsar_answer,
    dsar_create,
    retention_sweep,
)

AMS = ZoneInfo("Europe/Amsterdam")
MARKER = "Merkteken-Casustafel-3307"
POLICE_TEXT = "Politie ziet drugshandel vanuit woning"
pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS), tick=False)


def sweep_on(day: date):
    with at(day, 2):
        return retention_sweep()


def ours(result):
    if result.destruction_list is None:
        return []
    return [i for i in result.destruction_list.items.all() if i.model_label == "meetings.meeting"]


def carry_out(dl, users, records_manager, day):
    with at(day):
        destruction_list_approve(actor=users["privacy_officer"], destruction_list=dl)
        destruction_list_approve(actor=records_manager, destruction_list=dl)
        destruction_list_carry_out(destruction_list=dl, actor=records_manager)


@pytest.fixture
def held(users, police_org):
    """A casustafel on Thursday 14 March 2019, 10:00 (Amsterdam), about Petra Demo: one item on
    her with a summary for partners, one police item on her, a decision, an action with its
    reminder, approved (frozen) minutes; and a later meeting that followed up the action."""
    chair = users["chair"]
    person = PersonFactory(owner_team=chair.org_unit, voornamen="Petra", geslachtsnaam="Demo")
    starts = timezone.make_aware(datetime.combine(date(2019, 3, 14), time(10, 0)))
    with at(date(2019, 3, 1)):
        meeting = services.meeting_create(
            actor=chair,
            starts_at=starts,
            location="Stadhuis",
            participant_orgs=[police_org],
            participant_users=[],
        )
        item = services.item_add(
            actor=chair,
            meeting=meeting,
            kind=ItemKind.SUBJECT,
            subject_kind="person",
            ref_id=person.pk,
            summary=f"Overlast rond woning {MARKER}",
        )
        add_free(meeting, chair, title=f"Rondvraag {MARKER}")
        AgendaItem.objects.create(
            meeting=meeting,
            kind=ItemKind.SUBJECT,
            person=person,
            title="Politie-informatie",
            summary=POLICE_TEXT,
            compartment=Compartment.POLICE,
            position=9,
            created_by=chair,
        )
    with at(date(2019, 3, 15)):
        advance(meeting, chair, MeetingState.HELD)
        services.decision_record(actor=chair, item=item, kind=DecisionKind.LOCAL, text=f"Gesprek {MARKER}")
        action = services.action_create(
            actor=chair,
            item=item,
            description=f"Pand controleren {MARKER}",
            owner_org=chair.org_unit,
            owner_user=chair,
            due_date=date(2019, 4, 1),
        )
        advance(meeting, chair, MeetingState.MINUTES_APPROVED)
    send_action_item_reminders(today=date(2019, 4, 2))
    with at(date(2019, 4, 2)):
        later = services.meeting_create(
            actor=chair,
            starts_at=timezone.make_aware(datetime.combine(date(2019, 4, 11), time(10, 0))),
            location="Stadhuis",
            participant_orgs=[police_org],
            participant_users=[],
        )
        # (its own title: a default title would quote the action, text the later meeting then holds
        # for its own term)
        follow_up = services.item_add(
            actor=chair, meeting=later, kind=ItemKind.ACTION, ref_id=action.pk, title="Opvolging actiepunt"
        )
    meeting.refresh_from_db()
    assert FrozenMinutes.objects.filter(meeting=meeting).exists()
    assert Notification.objects.filter(message__contains=MARKER).exists()
    return meeting, person, action, follow_up


def test_meeting_due_five_years_after_the_meeting_and_destroyed_without_trace(users, records_manager, held):
    meeting, _person, action, follow_up = held
    assert _tables_mentioning(MARKER)

    assert ours(sweep_on(date(2024, 3, 13))) == []
    result = sweep_on(date(2024, 3, 14))
    [item] = ours(result)
    assert (item.object_id, item.anchor_date, item.due_date) == (
        meeting.pk,
        date(2019, 3, 14),
        date(2024, 3, 14),
    )
    carry_out(result.destruction_list, users, records_manager, date(2024, 3, 15))

    assert _tables_mentioning(MARKER) == []
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=meeting.pk).exists()
    assert not MeetingStateChange.objects.filter(meeting_id=meeting.pk).exists()
    assert not ActionItemChange.objects.filter(action_id=action.pk).exists()
    assert not FrozenMinutes.objects.filter(meeting_id=meeting.pk).exists()  # encrypted: checked by row
    follow_up.refresh_from_db()
    assert follow_up.action_item_id is None and follow_up.title  # the later meeting keeps its item
    assert Tombstone.objects.filter(model_label="meetings.meeting", object_id=meeting.pk).exists()
    with transaction.atomic():
        meeting_destroy("meetings.meeting", meeting.pk)  # idempotent
    # outside the retention path the histories are still append-only
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM meetings_meetingstatechange WHERE meeting_id = %s", [follow_up.meeting_id])


def test_anonymised_meeting_keeps_date_and_kinds(users, records_manager, held):
    RetentionRule.objects.filter(code="meeting_documents").update(action="anonymise")
    meeting, _person, action, _follow_up = held
    result = sweep_on(date(2024, 3, 14))
    carry_out(result.destruction_list, users, records_manager, date(2024, 3, 15))
    meeting.refresh_from_db()
    assert (meeting.state, timezone.localdate(meeting.starts_at)) == (
        MeetingState.MINUTES_APPROVED,
        date(2019, 3, 14),
    )
    kinds = sorted(meeting.items.values_list("kind", "person_id"))
    assert kinds == [("free", None), ("subject", None), ("subject", None)]
    assert ActionItem.objects.get(pk=action.pk).due_date == date(2019, 4, 1)
    assert not FrozenMinutes.objects.filter(meeting=meeting).exists()
    assert _tables_mentioning(MARKER) == []
    assert _tables_mentioning(POLICE_TEXT) == []
    assert ours(sweep_on(date(2024, 3, 15))) == []


def test_access_request_shows_summaries_and_withholds_police_items(users, held):
    meeting, person, _action, _follow_up = held
    officer = users["privacy_officer"]
    answer = dsar_answer(actor=officer, dsr=dsar_create(actor=officer, person_id=person.pk))

    section = next(s for s in answer["onderdelen"] if s["code"] == "meetings")
    [item] = section["items"]
    assert item["date"] == "2019-03-14"
    assert item["fields"]["samenvatting"] == f"Overlast rond woning {MARKER}"
    assert item["fields"]["besluit"] == "Lokaal oppakken"
    assert item["retention"].startswith("5 jaren na datum van het overleg")
    [withheld] = section["withheld"]
    assert withheld["ground"] == "police_consultation"
    text = json.dumps(answer, ensure_ascii=False)
    assert POLICE_TEXT not in text
    assert f"Gesprek {MARKER}" not in text and "Rondvraag" not in text  # decision text, other items
