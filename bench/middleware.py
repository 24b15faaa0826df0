"""Bench mode only: tell the benchmark how many SQL queries a request ran and how long the
database took, in response headers. Enabled only when the environment says ``VIK_BENCH=1``;
otherwise Django drops it at start-up (``MiddlewareNotUsed``), so production never exposes it.

Put it first in MIDDLEWARE so that session, authentication and access-log queries count too.
"""

from __future__ import annotations

import os
import time
from contextlib import ExitStack

from django.core.exceptions import MiddlewareNotUsed
from django.db import connections

QUERIES_HEADER = "X-VIK-Queries"
DB_MS_HEADER = "X-VIK-DB-ms"
APP_MS_HEADER = "X-VIK-App-ms"


def bench_mode() -> bool:
    return os.environ.get("VIK_BENCH") == "1"


class QueryCountMiddleware:
    def __init__(self, get_response):
        if not bench_mode():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        stats = {"n": 0, "db": 0.0}

        def counter(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["n"] += 1
                stats["db"] += time.perf_counter() - started

        started = time.perf_counter()
        with ExitStack() as stack:
            # every alias: with a read replica configured, a page's reads run there
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(stats["n"])
        response[DB_MS_HEADER] = f"{stats['db'] * 1000:.2f}"
        response[APP_MS_HEADER] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response
