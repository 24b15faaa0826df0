"""Celery application: Redis broker, late acks, prefetch 1, time limits (settings CELERY_*)."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun, task_success, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")

app = Celery("vik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# W3C trace context travels with every task message and is restored in the worker (vik/core/tracing.py).
@before_task_publish.connect(weak=False)
def _trace_publish(**kwargs):
    from vik.core.tracing import on_before_task_publish

    on_before_task_publish(**kwargs)


@task_prerun.connect(weak=False)
def _trace_prerun(**kwargs):
    from vik.core.tracing import on_task_prerun

    on_task_prerun(**kwargs)


@task_postrun.connect(weak=False)
def _trace_postrun(**kwargs):
    from vik.core.tracing import on_task_postrun

    on_task_postrun(**kwargs)


@worker_process_init.connect
def _check_canary(**_kwargs):
    from vik.core.encryption import assert_canary_decrypts

    assert_canary_decrypts()


@task_prerun.connect
def _refresh_calendar(**_kwargs):
    from vik.core.calendar_sync import refresh_if_stale

    refresh_if_stale()


@task_prerun.connect
def _job_started(sender=None, **_kwargs):
    _record_job(sender, "started")


@task_success.connect
def _job_succeeded(sender=None, result=None, **_kwargs):
    _record_job(sender, "success", result)


def _record_job(task, what: str, result=None) -> None:
    """Scheduled jobs record when they last started and succeeded (catch-up after an outage)."""
    from vik.core import jobs

    name = getattr(task, "name", "")
    if name in jobs.NOT_CAUGHT_UP:
        return
    try:
        if name not in jobs.scheduled_names():
            return
        if what == "started":
            jobs.record_started(name)
        else:
            jobs.record_success(name, result=result)
    except Exception:  # noqa: BLE001 - bookkeeping must never fail the job itself
        import logging

        logging.getLogger(__name__).exception("could not record job %s %s", name, what)
