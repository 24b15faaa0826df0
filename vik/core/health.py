"""Health of the parts VIK needs: database, Redis, and a live Celery worker (heartbeat)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

HEARTBEAT_KEY = "vik:worker-heartbeat"
HEARTBEAT_MAX_AGE = 120  # seconds; beat sends one every 30 s


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
    return result
