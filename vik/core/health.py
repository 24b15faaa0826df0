"""Health of the parts VIK needs: database, Redis, and a live Celery worker (heartbeat); and of
the read replica when one is configured (optional: reads fall back to the primary without it)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

from vik.core.db_router import STATE_NOT_CONFIGURED, replica_state

HEARTBEAT_KEY = "vik:worker-heartbeat"
HEARTBEAT_MAX_AGE = 120  # seconds; beat sends one every 30 s
#: The parts without which VIK does not serve: any of them down makes /healthz answer 503. The
#: replica is not one of them: without it, reads go to the primary ("degraded", still 200).
REQUIRED = ("database", "redis", "worker")


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def heartbeat_record() -> None:
    _redis().set(HEARTBEAT_KEY, str(time.time()), ex=HEARTBEAT_MAX_AGE * 5)


def check() -> dict:
    result: dict[str, dict] = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        result["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        result["database"] = {"ok": False, "error": type(exc).__name__}
    try:
        client = _redis()
        client.ping()
        result["redis"] = {"ok": True}
        raw = client.get(HEARTBEAT_KEY)
        age = time.time() - float(raw) if raw else None
        result["worker"] = {
            "ok": age is not None and age < HEARTBEAT_MAX_AGE,
            "last_heartbeat_seconds_ago": None if age is None else round(age, 1),
        }
    except Exception as exc:  # noqa: BLE001
        result["redis"] = {"ok": False, "error": type(exc).__name__}
        result["worker"] = {"ok": False, "error": "redis unavailable"}
    replica = replica_state()
    if replica.state != STATE_NOT_CONFIGURED:
        result["replica"] = replica.as_json()
    return result
