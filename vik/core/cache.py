"""A Redis cache that degrades instead of failing.

VIK keeps nothing in the cache that it cannot rebuild: the declared-days version, import
progress. When Redis is down every read answers "not cached" (the caller falls back to the
database) and every write is dropped, so pages keep working during an outage. After a failure
Redis is not tried again for ``RETRY_AFTER`` seconds (a short circuit breaker), so a dead or
unreachable Redis costs at most one connection attempt per process per interval, not one per
cache call.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


class DegradingRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that never raises a Redis error."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._errors = _redis_errors()

    @property
    def degraded(self) -> bool:
        """True while Redis is considered down (the last call failed less than RETRY_AFTER ago)."""
        return time.monotonic() < self._down_until

    def _call(self, fallback, method, *args, **kwargs):
        if self.degraded:
            return fallback
        try:
            return method(*args, **kwargs)
        except self._errors as exc:
            if not self._down_until:
                log.warning("cache unavailable, degrading to the database: %s", type(exc).__name__)
            self._down_until = time.monotonic() + RETRY_AFTER
            return fallback

    def _mark_up(self) -> None:
        if self._down_until and not self.degraded:
            log.info("cache available again")
            self._down_until = 0.0

    def _wrapped(self, fallback, name, *args, **kwargs):
        value = self._call(_MISSING, getattr(super(), name), *args, **kwargs)
        if value is _MISSING:
            return fallback
        self._mark_up()
        return value

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._wrapped(False, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._wrapped(default, "get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._wrapped(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._wrapped(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._wrapped(False, "delete", key, version)

    def get_many(self, keys, version=None):
        return self._wrapped({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._wrapped(False, "has_key", key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError (Django's contract); an outage answers 0.
        return self._wrapped(0, "incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._wrapped(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._wrapped(None, "delete_many", keys, version)

    def clear(self):
        return self._wrapped(False, "clear")


_MISSING = object()
