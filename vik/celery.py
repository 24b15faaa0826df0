"""Celery application: Redis broker, late acks, prefetch 1, time limits (settings CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")

app = Celery("vik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _check_canary(**_kwargs):
    from vik.core.encryption import assert_canary_decrypts

    assert_canary_decrypts()
