"""Action-item reminders through the measures' deadline job: T-3, the day itself and overdue,
each sent once however often the job runs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from django.utils import timezone

from measures.reminders import deadline_scan
from meetings import services
from meetings.constants import ActionStatus, MeetingState
from tests.factories.meetings import add_action, add_free, advance
from vik.core.models import Notification

pytestmark = pytest.mark.django_db

DUE = date(2026, 3, 20)


def _noon(day: date):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@pytest.fixture
def action(meeting, chair, police_org, police_user):
    meeting.starts_at = _noon(date(2026, 3, 2))
    meeting.save(update_fields=["starts_at"])
    item = add_free(meeting, chair, share=[police_org])
    advance(meeting, chair, MeetingState.HELD)
    return add_action(
        item, chair, org=police_org, user=police_user, due=DUE, description="Pand Bornsestraat controleren"
    )


def _notes(user):
    return list(
        Notification.objects.filter(user=user).order_by("created_at").values_list("message", flat=True)
    )


def test_reminders_are_sent_once_per_stage(action, police_user, chair):
    with time_machine.travel(_noon(DUE - timedelta(days=5)), tick=False):
        assert deadline_scan(today=DUE - timedelta(days=5)) == 0
    with time_machine.travel(_noon(DUE - timedelta(days=3)), tick=False):
        assert deadline_scan(today=DUE - timedelta(days=3)) == 1
        assert deadline_scan(today=DUE - timedelta(days=3)) == 0
    with time_machine.travel(_noon(DUE), tick=False):
        deadline_scan(today=DUE)
    with time_machine.travel(_noon(DUE + timedelta(days=1)), tick=False):
        deadline_scan(today=DUE + timedelta(days=1))
        deadline_scan(today=DUE + timedelta(days=2))
    messages = _notes(police_user)
    assert len(messages) == 3
    assert "uiterlijk 20-03-2026" in messages[0] and "vandaag" in messages[1] and "verlopen" in messages[2]
    assert all("Bornsestraat" in m for m in messages)
    # the chair hears about overdue actions only, once
    assert len(_notes(chair)) == 1 and "verlopen" in _notes(chair)[0]


def test_done_action_gets_no_reminder(action, police_user):
    services.action_set_status(actor=police_user, action=action, status=ActionStatus.DONE)
    with time_machine.travel(_noon(DUE + timedelta(days=1)), tick=False):
        assert deadline_scan(today=DUE + timedelta(days=1)) == 0
    assert _notes(police_user) == []


def test_without_owner_person_the_owner_organisation_is_reminded(
    meeting, chair, police_org, police_user, make_user
):
    meeting.starts_at = _noon(date(2026, 3, 2))
    meeting.save(update_fields=["starts_at"])
    item = add_free(meeting, chair, share=[police_org])
    advance(meeting, chair, MeetingState.HELD)
    colleague = make_user("partner", org=police_org)
    add_action(item, chair, org=police_org, due=DUE)
    with time_machine.travel(_noon(DUE), tick=False):
        assert deadline_scan(today=DUE) == 2
    assert len(_notes(police_user)) == 1 and len(_notes(colleague)) == 1
