"""Scheduled jobs that catch up after an outage.

Celery beat publishes a job at its scheduled time; when Redis (or the worker) is down then, that
tick is gone and a daily or monthly job would wait a whole period. VIK therefore records when
each scheduled job last *succeeded* (:class:`JobRun`, written from Celery's ``task_success``
signal) and a frequent job, ``vik.core.catch_up_jobs``, enqueues every enabled beat job whose
last scheduled time passed without a success since. The jobs are idempotent, so a catch-up that
overlaps a late regular run does no harm.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import JobRun

# A job due less than this long ago may still be on its way from beat: leave it alone.
CATCH_UP_GRACE = timedelta(minutes=10)
# Never catch up the catch-up itself, the heartbeat or the relay (they run every few seconds).
NOT_CAUGHT_UP = {"vik.core.catch_up_jobs", "vik.core.relay_outbox", "vik.core.heartbeat"}


def record_started(name: str, *, now: datetime | None = None) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": now or timezone.now()})


def record_success(name: str, *, now: datetime | None = None, result: object = None) -> None:
    JobRun.objects.update_or_create(
        name=name,
        defaults={
            "last_success_at": now or timezone.now(),
            "last_error": "",
            "last_result": "" if result is None else str(result)[:300],
        },
    )


def record_failure(name: str, error: str) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"last_error": error[:300]})


def scheduled_names() -> set[str]:
    from django_celery_beat.models import PeriodicTask

    return set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True)) - NOT_CAUGHT_UP


def missed_jobs(*, now: datetime | None = None) -> list[str]:
    """Enabled beat jobs whose last scheduled time passed (more than CATCH_UP_GRACE ago) without
    a success or a start since. A job seen for the first time gets a baseline and is not run."""
    from django_celery_beat.models import PeriodicTask

    now = now or timezone.now()
    runs = {r.name: r for r in JobRun.objects.all()}
    missed: list[str] = []
    hard_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    for pt in PeriodicTask.objects.filter(enabled=True).exclude(task__in=NOT_CAUGHT_UP).order_by("task"):
        if pt.task in missed:
            continue
        run = runs.get(pt.task)
        if run is None or run.last_success_at is None:
            if run is None:
                JobRun.objects.get_or_create(name=pt.task, defaults={"last_success_at": now})
            continue
        schedule = pt.schedule
        schedule.nowfun = lambda: now
        # remaining_estimate(last) is the time from now to the first run due after ``last``.
        due_at = now + schedule.remaining_estimate(run.last_success_at)
        if due_at > now - CATCH_UP_GRACE:
            continue
        if run.last_started_at and run.last_started_at >= due_at and now - run.last_started_at < hard_limit:
            continue  # running now (started after it was due, within the time limit)
        missed.append(pt.task)
    return missed


def catch_up(*, now: datetime | None = None) -> list[str]:
    """Enqueue (through the outbox) every missed job; return their names."""
    from .outbox import enqueue

    names = missed_jobs(now=now)
    for name in names:
        enqueue(name)
    return names
