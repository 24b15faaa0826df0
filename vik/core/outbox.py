"""Transactional outbox for Celery tasks.

``enqueue(task_name, *args)`` writes an :class:`OutboxTask` row in the caller's transaction and
publishes it after the commit. When the broker (Redis) cannot be reached the row stays pending:
the request still succeeds, the caller can tell the user (``entry.deferred``) and
``relay_pending`` (the beat job ``vik.core.relay_outbox``, every minute) publishes it once Redis
is back. Delivery is at least once, so every task enqueued this way must be idempotent (the
import locks its batch row, the e-mail task checks the notification's e-mail state).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OutboxTask

log = logging.getLogger(__name__)

# Rows younger than this belong to a transaction whose on-commit publish may still be running.
RELAY_GRACE = timedelta(seconds=30)
RELAY_BATCH = 500

DEFERRED_MESSAGE = _(
    "De wachtrij is op dit moment niet bereikbaar. Uw opdracht is bewaard en wordt automatisch "
    "uitgevoerd zodra de wachtrij weer werkt."
)


def broker_errors() -> tuple[type[BaseException], ...]:
    import kombu.exceptions
    import redis

    return (kombu.exceptions.OperationalError, redis.RedisError, OSError)


def enqueue(task_name: str, *args, **kwargs) -> OutboxTask:
    """Record ``task_name(*args, **kwargs)`` in this transaction; publish it after the commit.

    Outside a transaction (autocommit) the publish happens at once. ``entry.deferred`` is True
    after the commit when the broker could not be reached.
    """
    entry = OutboxTask.objects.create(task=task_name, args=list(args), kwargs=kwargs)
    entry.deferred = False  # type: ignore[attr-defined]
    transaction.on_commit(lambda: publish(entry))
    return entry


def publish(entry: OutboxTask) -> bool:
    """Publish one outbox row; on a broker failure keep it pending and return False."""
    from celery import current_app

    if entry.task not in current_app.tasks:
        current_app.loader.import_default_modules()  # autodiscovery is lazy outside a worker
    task = current_app.tasks[entry.task]
    try:
        headers = {"traceparent": entry.traceparent} if entry.traceparent else None
        task.apply_async(args=entry.args, kwargs=entry.kwargs, headers=headers)
    except broker_errors() as exc:
        entry.deferred = True  # type: ignore[attr-defined]
        OutboxTask.objects.filter(pk=entry.pk).update(
            attempts=entry.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:300]
        )
        log.warning("broker unavailable, task %s kept in the outbox (id %s)", entry.task, entry.pk)
        return False
    OutboxTask.objects.filter(pk=entry.pk).update(sent_at=timezone.now(), attempts=entry.attempts + 1)
    return True


def relay_pending(*, now=None, grace: timedelta = RELAY_GRACE) -> int:
    """Publish pending rows older than ``grace``; stop at the first broker failure. Returns the
    number published."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, created_at__lte=now - grace)
                .order_by("created_at")[:RELAY_BATCH]
            )
            if not rows:
                return sent
            for row in rows:
                if not publish(row):
                    return sent
                sent += 1


def pending_count() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()
