"""Celery application: Redis broker, late acks, prefetch 1, time limits (settings CELERY_*)."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")

app = Celery("vik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _check_canary(**_kwargs):
    from vik.core.encryption import assert_canary_decrypts

    assert_canary_decrypts()


@task_prerun.connect
def _refresh_calendar(**_kwargs):
    from vik.core.calendar_sync import refresh_if_stale

    refresh_if_stale()
