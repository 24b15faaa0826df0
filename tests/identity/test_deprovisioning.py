"""Nightly job: accounts idle longer than VIK_IDLE_DEACTIVATE_DAYS (default 90) are deactivated,
with a notice to the functional admin and a history row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories.core import UserFactory
from vik.core.constants import ROLE_FUNCTIONAL_ADMIN
from vik.core.models import Notification, User
from vik.identity.models import Deactivation
from vik.identity.tasks import deactivate_idle_users

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def _user(name, *, last_login_days=None, joined_days=400, **kw):
    user = UserFactory(username=name, **kw)
    User.objects.filter(pk=user.pk).update(
        last_login=NOW - timedelta(days=last_login_days) if last_login_days is not None else None,
        date_joined=NOW - timedelta(days=joined_days),
    )
    return user


@time_machine.travel(NOW, tick=False)
def test_idle_accounts_deactivated_nightly_with_notice():
    admin = _user("beheerder", last_login_days=1, role=ROLE_FUNCTIONAL_ADMIN)
    idle = _user("weg", last_login_days=91)
    recent = _user("actief", last_login_days=89)
    never_old = _user("nooit_oud", joined_days=100)
    never_new = _user("nooit_nieuw", joined_days=10)

    assert deactivate_idle_users.delay().get() == 2

    active = dict(User.objects.values_list("username", "is_active"))
    assert active == {
        "beheerder": True,
        "weg": False,
        "actief": True,
        "nooit_oud": False,
        "nooit_nieuw": True,
    }
    history = Deactivation.objects.get(user=idle)
    assert history.reason == "idle" and history.last_login == NOW - timedelta(days=91)
    assert Deactivation.objects.filter(user=never_old).exists()
    notice = Notification.objects.get(user=admin)
    assert "weg" in notice.message and "nooit_oud" in notice.message and "90 dagen" in notice.message
    # Running twice changes nothing and sends nothing new.
    assert deactivate_idle_users.delay().get() == 0
    assert Notification.objects.filter(user=admin).count() == 1
    assert {recent.pk, never_new.pk} <= set(User.objects.filter(is_active=True).values_list("pk", flat=True))


@time_machine.travel(NOW, tick=False)
def test_period_is_configurable(settings):
    settings.VIK_IDLE_DEACTIVATE_DAYS = 30
    _user("maand", last_login_days=31)
    _user("week", last_login_days=7)
    deactivate_idle_users.delay()
    assert list(User.objects.filter(is_active=False).values_list("username", flat=True)) == ["maand"]


def test_idle_job_is_scheduled_nightly():
    """From the data migration (run again here: a transactional test elsewhere in the run may
    have flushed the migrated rows); running it twice adds nothing."""
    import importlib

    from django_celery_beat.models import PeriodicTask

    from django.apps import apps

    migration = importlib.import_module("vik.identity.migrations.0002_deprovisioning_and_review_schedules")
    migration.create(apps, None)
    migration.create(apps, None)
    assert PeriodicTask.objects.filter(task__startswith="vik.identity.").count() == 3

    task = PeriodicTask.objects.get(task="vik.identity.deactivate_idle_users")
    assert task.enabled and task.crontab.hour == "2" and task.crontab.day_of_month == "*"
