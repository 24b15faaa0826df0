"""The dev settings plus the bench-mode query counter (bench/middleware.py) first in the chain.

Used by ``python -m bench.run`` for its gunicorn; the middleware itself stays inert unless
VIK_BENCH=1. Once the lead adds the middleware to vik/settings/base.py this module is a no-op."""

from vik.settings.dev import *  # noqa: F403
from vik.settings.dev import MIDDLEWARE as _MIDDLEWARE

_COUNTER = "bench.middleware.QueryCountMiddleware"
MIDDLEWARE = [_COUNTER, *[m for m in _MIDDLEWARE if m != _COUNTER]]
