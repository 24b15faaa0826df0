"""Read replica routing: read-only work that tolerates a few seconds of staleness (dashboards,
analysis, exports, the benchmark's read pages) reads from a PostgreSQL streaming replica;
everything else stays on the primary.

Why explicit opt-in and not routing by model: almost every model is both read for a page and
read inside a service right before a write (need-to-know checks, deadline computation, the
access log's chain). Routing "reads of model X" to the replica would send some of those to a
copy that is behind, and the mistakes would be silent (a measure that seems not to exist yet, a
grant that seems not to be revoked yet). A view is opted in by name, in one place
(``settings.DATABASE_REPLICA_VIEWS``), after someone has checked that it only reads; code outside
a request (a Celery task, a command) opts in with ``with using_replica():``. Everything that is
not opted in, and every write, goes to the primary.

Rules, in the order the router applies them (``ReplicaRouter.db_for_read``):

1. No replica configured (``DATABASE_REPLICA_URL`` unset) or not opted in: the primary.
2. Inside a transaction on the primary (a service, the access log): the primary, so that a read
   inside a transaction sees the transaction's own writes and locks.
3. Read-your-writes: a user who wrote (any non-safe request) in the last
   ``DATABASE_REPLICA_PIN_SECONDS`` reads from the primary (``ReplicaMiddleware`` keeps the time
   in a signed cookie), and so does the rest of a request that has written to the primary.
4. The replica is down, or lags more than ``DATABASE_REPLICA_MAX_LAG_SECONDS`` behind, or has lost
   its connection to the primary: the primary. The state is checked at most every
   ``DATABASE_REPLICA_CHECK_SECONDS`` per process and cached (a replica found down: every
   ``DOWN_RECHECK_SECONDS``); a change of state is logged once.
5. Otherwise: the replica.

Writes always go to the primary (``db_for_write``), whatever model and wherever the instance was
read from; the access log is written through the primary's connection (``vik.core.accesslog``)
and never routed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError

log = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"

#: Set while a block of code has opted in to reading from the replica.
_wanted: ContextVar[bool] = ContextVar("vik_replica_wanted", default=False)
#: Set when this request or task must read from the primary (the user wrote recently).
_pinned: ContextVar[bool] = ContextVar("vik_replica_pinned", default=False)

PIN_COOKIE = "vik_wrote"
PIN_SALT = "vik.core.db_router.pin"


def replica_configured() -> bool:
    return REPLICA in connections.settings


# --- replica state (cached per process) -----------------------------------------------------------

STATE_UP = "up"
STATE_LAGGING = "lagging"
STATE_DOWN = "down"
STATE_NOT_CONFIGURED = "not_configured"

LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END,
       (SELECT count(*) FROM pg_stat_wal_receiver)
"""


@dataclass(frozen=True)
class ReplicaState:
    state: str
    lag_seconds: float | None = None
    error: str = ""
    checked_at: float = 0.0

    @property
    def usable(self) -> bool:
        return self.state == STATE_UP

    def as_json(self) -> dict:
        out: dict = {"ok": self.usable, "state": self.state}
        if self.lag_seconds is not None:
            out["lag_seconds"] = round(self.lag_seconds, 1)
        if self.error:
            out["error"] = self.error
        return out


_lock = threading.Lock()
_cached: ReplicaState | None = None


def _probe() -> ReplicaState:
    """Ask the replica how far behind it is, on the connection its reads use."""
    now = time.monotonic()
    conn = connections[REPLICA]
    try:
        if conn.connection is not None and not conn.is_usable():
            conn.close()  # killed under us (replica restarted): connect afresh
        with conn.cursor() as cur:
            cur.execute(LAG_SQL)
            in_recovery, lag, receivers = cur.fetchone()
    except (OperationalError, InterfaceError, DatabaseError) as exc:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped
            pass
        return ReplicaState(STATE_DOWN, error=type(exc).__name__, checked_at=now)
    lag = float(lag)
    if in_recovery and not receivers:
        # The replica replays nothing new: it lost its primary, so how far behind it is cannot
        # be told from the replica alone.
        return ReplicaState(STATE_LAGGING, lag, error="no WAL receiver", checked_at=now)
    if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return ReplicaState(STATE_LAGGING, lag, checked_at=now)
    return ReplicaState(STATE_UP, lag, checked_at=now)


#: A replica found down is tried again after this many seconds at the soonest: an unreachable
#: host costs a request the connect timeout (2 s), which must not happen every few seconds.
DOWN_RECHECK_SECONDS = 30


def _valid_for(state: ReplicaState) -> float:
    if state.state == STATE_DOWN:
        return max(settings.DATABASE_REPLICA_CHECK_SECONDS, DOWN_RECHECK_SECONDS)
    return settings.DATABASE_REPLICA_CHECK_SECONDS


def replica_state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state, checked at most every ``DATABASE_REPLICA_CHECK_SECONDS``."""
    global _cached
    if not replica_configured():
        return ReplicaState(STATE_NOT_CONFIGURED)
    cached = _cached
    if not fresh and cached is not None and time.monotonic() - cached.checked_at < _valid_for(cached):
        return cached
    state = _probe()
    with _lock:
        previous, _cached = _cached, state
    if previous is None or previous.state != state.state:
        level = logging.INFO if state.usable else logging.WARNING
        log.log(
            level,
            "read replica is %s%s: reads %s",
            state.state,
            f" ({state.error or f'{state.lag_seconds:.1f} s behind'})"
            if not state.usable and (state.error or state.lag_seconds is not None)
            else "",
            "go to the replica" if state.usable else "fall back to the primary",
        )
    return state


def mark_down(error: str) -> None:
    """A query on the replica failed: use the primary until the next check says otherwise."""
    global _cached
    with _lock:
        previous, _cached = _cached, ReplicaState(STATE_DOWN, error=error, checked_at=time.monotonic())
    if previous is None or previous.state != STATE_DOWN:
        log.warning("read replica is down (%s): reads fall back to the primary", error)


def forget_state() -> None:
    """Drop the cached state (tests; after reconfiguring the replica)."""
    global _cached
    with _lock:
        _cached = None


# --- opting in ----------------------------------------------------------------------------------


@contextmanager
def using_replica() -> Iterator[None]:
    """Reads inside this block may go to the replica (subject to the rules above)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


@contextmanager
def pinned_to_primary() -> Iterator[None]:
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def replica_reads(func):
    """Decorator form of ``using_replica()`` for a function that only reads."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        with using_replica():
            return func(*args, **kwargs)

    return wrapper


def read_alias() -> str:
    """The alias a read made now would use (for raw SQL: ``connections[read_alias()].cursor()``)."""
    if not _wanted.get() or not replica_configured():
        return PRIMARY
    if _pinned.get() or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if not replica_state().usable:
        return PRIMARY
    return REPLICA


def read_cursor():
    """A cursor for a raw read-only query, on the connection the router would read from now (the
    replica inside an opted-in view, else the primary). Raw SQL bypasses the router: a selector
    that runs ``connection.cursor()`` would read from the primary on a replica page."""
    return connections[read_alias()].cursor()


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry. Writes and migrations: the primary only."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a row read from one may point at a row of the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False
        return None


# --- the request side: which views, and read-your-writes --------------------------------------------

WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE")
#: Writes that do not make a later read stale for the user: nothing reads these back right away.
UNPINNED_TABLES = ('"django_session"', '"core_accesslog"', '"core_logref"', '"axes_')


def _is_user_write(sql: str) -> bool:
    head = sql.lstrip()[:8].upper()
    if not head.startswith(WRITE_PREFIXES):
        return False
    return not any(table in sql[:200] for table in UNPINNED_TABLES)


def _pin_on_write(execute, sql, params, many, context):
    if _wanted.get() and not _pinned.get() and isinstance(sql, str) and _is_user_write(sql):
        _pinned.set(True)
    return execute(sql, params, many, context)


def wrote_recently(request) -> bool:
    raw = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT)
    if not raw:
        return False
    try:
        wrote_at = float(raw)
    except ValueError:
        return False
    return time.time() - wrote_at < settings.DATABASE_REPLICA_PIN_SECONDS


class ReplicaMiddleware:
    """Opts the views named in ``DATABASE_REPLICA_VIEWS`` in to the replica, keeps a user who just
    wrote on the primary (a signed ``vik_wrote`` cookie, set on every non-safe request, valid for
    ``DATABASE_REPLICA_PIN_SECONDS``), and serves a request again from the primary when the replica
    fails under it (a replica that dies between two checks costs no 500). Does nothing when no
    replica is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        tokens = [_pinned.set(wrote_recently(request)), _wanted.set(False)]
        try:
            with connections[PRIMARY].execute_wrapper(_pin_on_write):
                response = self.get_response(request)
        finally:
            _wanted.reset(tokens[1])
            _pinned.reset(tokens[0])
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and not getattr(
            request, "vik_replica_view", False
        ):
            response.set_signed_cookie(
                PIN_COOKIE,
                str(time.time()),
                salt=PIN_SALT,
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured():
            return None
        match = request.resolver_match
        methods = settings.DATABASE_REPLICA_VIEWS.get(match.view_name if match else "")
        if methods and request.method in methods:
            request.vik_replica_view = True
            request.vik_replica_retry = (view_func, view_args, view_kwargs)
            _wanted.set(True)
        return None

    def process_exception(self, request, exception):
        retry = getattr(request, "vik_replica_retry", None)
        if retry is None or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if replica_state(fresh=True).usable:
            return None  # not the replica's fault: the error stands
        mark_down(type(exception).__name__)
        request.vik_replica_retry = None
        view_func, args, kwargs = retry
        with pinned_to_primary():
            return view_func(request, *args, **kwargs)
