"""measures.deadline_scan: reminders at T-7, on the day and when overdue, exactly once each,
in the app and by e-mail (frozen time)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from django.core import mail

from measures import reminders
from measures.constants import EventType as E
from measures.tasks import deadline_scan
from tests.factories.measures import make_measure, record
from vik.core.models import Notification

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, 0, tzinfo=AMS), tick=False)


def _scan(capture):
    with capture(execute=True):
        return deadline_scan.delay().get()


@pytest.fixture
def measure(users):
    analyst = users["analyst"]
    with at(date(2026, 1, 5)):
        m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
        record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))  # zienswijze ends Mon 19 Jan 2026
    return m


def test_hourly_beat_entry_exists():
    task = PeriodicTask.objects.get(task="measures.deadline_scan")
    assert task.enabled and task.interval.every == 1 and task.interval.period == "hours"


def test_reminders_sent_once_per_stage(measure, users, django_capture_on_commit_callbacks):
    analyst = users["analyst"]
    with at(date(2026, 1, 11)):  # T-8: nothing yet
        assert _scan(django_capture_on_commit_callbacks) == 0
    with at(date(2026, 1, 12)):  # T-7
        assert _scan(django_capture_on_commit_callbacks) == 1
        assert _scan(django_capture_on_commit_callbacks) == 0  # running twice sends nothing twice
    with at(date(2026, 1, 15)):  # still within the T-7 stage: nothing new
        assert _scan(django_capture_on_commit_callbacks) == 0
    with at(date(2026, 1, 19)):  # the day itself
        assert _scan(django_capture_on_commit_callbacks) == 1
        assert _scan(django_capture_on_commit_callbacks) == 0
    with at(date(2026, 1, 21)):  # overdue
        assert _scan(django_capture_on_commit_callbacks) == 1
        assert _scan(django_capture_on_commit_callbacks) == 0
    notes = list(
        Notification.objects.filter(user=analyst).order_by("created_at").values_list("message", flat=True)
    )
    assert notes == [
        f"Termijn verloopt op 19-01-2026 (binnen 7 dagen): Termijn zienswijze op voornemen van {measure.reference} (Sluiting woning (art. 13b Opiumwet)).",
        f"Termijn verloopt vandaag: Termijn zienswijze op voornemen van {measure.reference} (Sluiting woning (art. 13b Opiumwet)) (19-01-2026).",
        f"Termijn verstreken: Termijn zienswijze op voornemen van {measure.reference} (Sluiting woning (art. 13b Opiumwet)) verliep op 19-01-2026.",
    ]
    assert len(mail.outbox) == 3 and mail.outbox[0].to == [analyst.email]
    assert Notification.objects.filter(user=analyst, emailed_at__isnull=False).count() == 3


def test_missed_runs_are_made_up_with_the_current_stage_only(measure, django_capture_on_commit_callbacks):
    with at(date(2026, 1, 19)):  # the worker was down all week: one reminder, "vandaag"
        assert _scan(django_capture_on_commit_callbacks) == 1
    assert "vandaag" in Notification.objects.get().message


def test_answered_deadline_and_expired_objection_term_send_nothing(
    measure, users, django_capture_on_commit_callbacks
):
    analyst = users["analyst"]
    with at(date(2026, 1, 10)):
        record(analyst, measure, E.ZIENSWIJZE_ONTVANGEN, date(2026, 1, 10))
    with at(date(2026, 1, 19)):
        assert _scan(django_capture_on_commit_callbacks) == 0


def test_recomputed_due_date_gets_fresh_reminders(measure, users, django_capture_on_commit_callbacks):
    analyst = users["analyst"]
    with at(date(2026, 1, 19)):
        assert _scan(django_capture_on_commit_callbacks) == 1
        record(analyst, measure, E.INTREKKING, date(2026, 1, 19))
        assert _scan(django_capture_on_commit_callbacks) == 0  # withdrawn: no more reminders


def test_registered_extra_source_is_idempotent(users, django_capture_on_commit_callbacks):
    chair = users["chair"]

    def actions(today):
        yield chair, f"Actiepunt verloopt {today:%d-%m-%Y}", "/casustafel/", f"meetings:action:1:{today}"

    reminders.register_source(actions)
    reminders.register_source(actions)
    try:
        with at(date(2026, 2, 2)):
            assert _scan(django_capture_on_commit_callbacks) == 1
            assert _scan(django_capture_on_commit_callbacks) == 0
    finally:
        reminders._SOURCES.remove(actions)
    assert Notification.objects.filter(user=chair).count() == 1


@pytest.mark.parametrize(
    "due, today, action, expected",
    [
        (date(2026, 1, 19), date(2026, 1, 11), True, None),
        (date(2026, 1, 19), date(2026, 1, 12), True, "T-7"),
        (date(2026, 1, 19), date(2026, 1, 18), True, "T-7"),
        (date(2026, 1, 19), date(2026, 1, 19), True, "T-0"),
        (date(2026, 1, 19), date(2026, 1, 20), True, "overdue"),
        (date(2026, 1, 19), date(2026, 1, 20), False, None),  # someone else's term that expired
    ],
)
def test_stage_for(due, today, action, expected):
    assert reminders.stage_for(due, today, requires_action=action, leads=(7, 0)) == expected
