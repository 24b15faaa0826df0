"""The purpose-bound, append-only, hash-chained access log.

Every read, search, export, print and denied attempt on person, organisation and address records
and on documents writes one row. The chain head lives in ``core_accesslog_head`` (one row, locked
FOR UPDATE) so concurrent writers serialise on it and the chain never forks. Each row's hash is
SHA-256 over the previous hash and the row's own fields; ``verify_chain`` recomputes it and names
the first row that does not match. A write is one call of the database function
``core_accesslog_append`` (migration core 0005), which computes the same hash as ``row_hash``
below; the two must change together.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, models
from django.utils import timezone

from .constants import AccessAction, AccessResult

GENESIS = "0" * 64
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
# The request being served, so that code far from the view (``vik.core.access.get_for_user``)
# can log a refusal with the request's IP and purpose. Set by ``RecordRefusalMiddleware``.
_current_request: ContextVar = ContextVar("vik_current_request", default=None)


def bind_request(request):
    """Make ``request`` the current request (returns a token for :func:`unbind_request`)."""
    return _current_request.set(request)


def unbind_request(token) -> None:
    _current_request.reset(token)


def current_request():
    return _current_request.get()


def as_bigint(value: object) -> int | None:
    """``value`` as an id the database can hold (bigint), or None: a hostile id such as
    99999999999999999999 must never reach SQL as a parameter (numeric out of range is a 500)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if BIGINT_MIN <= number <= BIGINT_MAX else None


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def neutralise(value: object, limit: int = 300) -> str:
    """Logged values never carry newlines or control characters (log forging)."""
    text = "" if value is None else str(value)
    return _CONTROL.sub(" ", text)[:limit]


def row_hash(prev_hash: str, fields: dict) -> str:
    payload = "|".join(
        [
            prev_hash,
            str(fields["id"]),
            fields["at"].astimezone(UTC).isoformat(timespec="microseconds"),
            str(fields["actor_id"] or ""),
            fields["actor_label"],
            fields["role"],
            fields["action"],
            str(fields["ref_id"] or ""),
            fields["ref_kind"],
            fields["purpose"],
            fields["detail"],
            fields["result"],
            fields["ip"],
        ]
        # the processing activity: chained only when present, so rows from before the register
        # (no activity) hash as they always did (migration core 0012)
        + [str(fields[k]) for k in ("activity_id", "activity_version") if fields.get(k) is not None]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# The trace of the request or job writing a row: the columns ``trace_id`` and ``span_id`` default
# to these transaction-local settings (core 0011), set in the same statement as the append call
# (a subquery with volatile calls is evaluated before the outer projection), so the append
# function and the hash chain stay unchanged.
_WITH_TRACE = (
    "(SELECT set_config('vik.trace_id', %s, true), set_config('vik.span_id', %s, true)) AS vik_trace"
)


def _trace_params() -> list[str]:
    from .tracing import current_or_new

    context = current_or_new()
    return [context.trace_id, context.span_id]


def client_ip(request) -> str:
    if request is None:
        return ""
    return neutralise(request.META.get("REMOTE_ADDR", ""), 45)


def log_access(
    *,
    user,
    action: str,
    obj: models.Model | None = None,
    kind: str | None = None,
    object_id: int | None = None,
    purpose: str = "",
    detail: str = "",
    result: str = AccessResult.ALLOWED,
    request=None,
    activity: str | None = None,
) -> int:
    """Append one row (one database statement); returns its id. ``activity`` names the processing
    activity (its register code) where neither the werkcontext nor the page decides it (jobs)."""
    if obj is not None:
        kind = kind or obj._meta.label_lower
        object_id = obj.pk
    rows = [(kind or "", object_id, purpose, detail)]
    return _append(user=user, action=action, rows=rows, result=result, request=request, activity=activity)[0]


def _activity_keys(request, purpose: str, activity: str | None, werkcontext) -> list[str]:
    """Mapping keys that name a row's processing activity, most decisive first: an explicit
    activity; the werkcontext's case kind or reason category when the row's purpose is the
    werkcontext; the page (URL name, then app) that wrote the row (vik.core.register)."""
    from .register import page_keys, purpose_keys

    keys = [f"activity:{activity}"] if activity else []
    if werkcontext is not None and werkcontext.label and purpose.startswith(neutralise(werkcontext.label)):
        keys += purpose_keys(werkcontext)
    if request is not None:
        keys += page_keys(request)
    return keys


_ACTIVITY_LATERAL = (
    "LEFT JOIN LATERAL (SELECT a.id, a.current_version, a.uri FROM ("
    " SELECT m.activity_id AS aid, m.kind || ':' || m.key AS k FROM core_purposemapping m"
    " UNION ALL SELECT a2.id, 'activity:' || a2.code FROM core_processingactivity a2) c"
    " JOIN core_processingactivity a ON a.id = c.aid"
    " WHERE c.k = ANY(v.keys) ORDER BY array_position(v.keys, c.k) LIMIT 1) act ON true"
)


def _append(*, user, action: str, rows: list[tuple], result: str, request, activity: str | None) -> list[int]:
    """Write ``rows`` ((kind, object id, purpose, detail) each) in one statement: the access-log
    rows with their processing activity, and (local sink) one LDV processing record per data
    subject among them (vik.core.ldv). Returns the access-log ids in order."""
    from . import ldv

    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    now = timezone.now()
    common = [
        now,
        user.pk if authenticated else None,
        neutralise(user.get_username() if authenticated else "anoniem", 150),
        neutralise(user.role_label if authenticated else "", 200),
        neutralise(action, 20),
    ]
    result_ip = [neutralise(result, 10), client_ip(request)]
    # the werkcontext: the API request's purpose header, or the web session's stated purpose
    werkcontext = getattr(request, "vik_werkcontext", None) if request is not None else None
    if werkcontext is None and request is not None and hasattr(request, "session"):
        from .purpose import current_purpose

        werkcontext = current_purpose(request)
    processed = result == AccessResult.ALLOWED and action != AccessAction.DENIED
    sinks = ldv.sinks()
    trace = ldv.trace_context(request) if processed else None
    values, params, any_subject = [], [], False
    for n, (kind, object_id, purpose, detail) in enumerate(rows):
        row_purpose = neutralise(purpose)
        kind = neutralise(kind or "", 40)
        subject_type = ldv.SUBJECT_TYPES.get(kind, "") if processed and object_id is not None else ""
        span = pseudo = ""
        if subject_type:
            any_subject = True
            span, pseudo = ldv.new_span_id(), ldv.pseudonym(kind, object_id)
        values.append(
            "(%s::int, %s::timestamptz, %s::bigint, %s, %s, %s, %s, %s::bigint, %s, %s, %s, %s,"
            " %s::text[], %s, %s, %s)"
        )
        params += [
            n,
            *common,
            kind,
            object_id,
            row_purpose,
            neutralise(detail),
            *result_ip,
            _activity_keys(request, row_purpose, activity, werkcontext),
            span,
            pseudo,
            subject_type,
        ]
    ldv_cte = ""
    ldv_params: list = []
    if any_subject and "local" in sinks:
        ldv_cte = (
            ", ldv AS (INSERT INTO core_processingrecord (trace_id, span_id, parent_span_id, name,"
            " started_at, ended_at, status, activity_uri, activity_id, activity_version,"
            " subject_pseudonym, subject_type, foreign_trace_id, foreign_span_id)"
            " SELECT %s, r.span, %s, r.act, r.at_, r.at_, 1, coalesce(r.act_uri, ''), r.act_id,"
            " r.act_version, r.pseudo, r.stype, %s, %s FROM r WHERE r.pseudo <> '')"
        )
        ldv_params = [trace.trace_id, trace.parent_span_id, trace.foreign_trace_id, trace.foreign_span_id]  # type: ignore[union-attr]
    sql = (
        "WITH v(n, at_, actor, label, role, act, kind, oid, purpose, detail, result, ip, keys, span,"
        " pseudo, stype) AS (VALUES "
        + ", ".join(values)
        + "), r AS MATERIALIZED (SELECT v.*, act.id AS act_id, act.current_version AS act_version,"
        " act.uri AS act_uri FROM v "
        + _ACTIVITY_LATERAL
        + ")"
        + ldv_cte
        + " SELECT core_accesslog_append(r.at_, r.actor, r.label, r.role, r.act, r.kind, r.oid, '',"
        " r.purpose, r.detail, r.result, r.ip, r.act_id, r.act_version::int), r.act_version, r.act_uri,"
        " r.span, r.pseudo, r.stype FROM r, " + _WITH_TRACE + " ORDER BY r.n"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params + ldv_params + _trace_params())
        out = cur.fetchall()
    if any_subject and "otlp" in sinks:
        ldv.otlp_export(
            [
                ldv.Record(
                    trace_id=trace.trace_id,  # type: ignore[union-attr]
                    span_id=span,
                    parent_span_id=trace.parent_span_id,  # type: ignore[union-attr]
                    name=action,
                    started_at=now,
                    ended_at=now,
                    status=1,
                    activity_uri=act_uri or "",
                    activity_version=act_version,
                    subject_pseudonym=pseudo,
                    subject_type=stype,
                    foreign_trace_id=trace.foreign_trace_id,  # type: ignore[union-attr]
                    foreign_span_id=trace.foreign_span_id,  # type: ignore[union-attr]
                )
                for _id, act_version, act_uri, span, pseudo, stype in out
                if pseudo
            ]
        )
    return [row[0] for row in out]


def log_access_many(
    *,
    user,
    action: str,
    objs: list[models.Model],
    purpose: str = "",
    detail: str = "",
    result: str = AccessResult.ALLOWED,
    request=None,
    purposes: list[str] | None = None,
    details: list[str] | None = None,
    activity: str | None = None,
) -> int:
    """One row per record in one database statement (for example the persons and addresses a
    signal page shows), so that logging does not add a query per row shown. ``purposes`` gives
    each row its own purpose (a list of measures: each row's measure), ``details`` its own detail
    text. Returns the count."""
    if not objs:
        return 0
    rows = []
    for n, obj in enumerate(objs):
        kind, pk, _label = _ref_of(obj)
        # The reference table holds no content (kind and id only): see docs/authorization.md.
        rows.append(
            (
                kind,
                pk,
                purposes[n] if purposes is not None else purpose,
                details[n] if details is not None else detail,
            )
        )
    return len(
        _append(user=user, action=action, rows=rows, result=result, request=request, activity=activity)
    )


@dataclass(frozen=True)
class Shown:
    """A record a page names when only its kind (``app.model``), id and label are at hand (a
    search hit, a network node)."""

    kind: str
    pk: int
    label: str = ""


def _ref_of(obj) -> tuple[str, int, str]:
    if isinstance(obj, Shown):
        return obj.kind, obj.pk, obj.label
    return obj._meta.label_lower, obj.pk, str(obj)


def log_shown(
    *,
    user,
    request,
    shown: list[tuple[models.Model, str]],
    detail: str = "",
    first_detail: str | None = None,
    activity: str | None = None,
) -> int:
    """The read rows of a page, fragment or export: one per (record, purpose) it shows, each
    record once, in one statement. Views pass every person, organisation and address they put
    in the answer (after dropping those the user may not see: :func:`vik.core.access.visible_only`)."""
    seen, objs, purposes = set(), [], []
    for obj, purpose in shown:
        if obj is None:
            continue
        key = _ref_of(obj)[:2]
        if key in seen:
            continue
        seen.add(key)
        objs.append(obj)
        purposes.append(purpose)
    details = None
    if first_detail is not None and objs:  # the page's own record first, its linked records after
        details = [first_detail] + [detail] * (len(objs) - 1)
    return log_access_many(
        user=user,
        action=AccessAction.READ,
        objs=objs,
        purposes=purposes,
        detail=detail,
        details=details,
        request=request,
        activity=activity,
    )


def log_denied(
    *, user, obj_kind: str, object_id: object, request=None, purpose: str = "", detail: str = ""
) -> None:
    """One ``denied`` row for a refused record lookup. A request writes at most one (the first,
    most precise refusal: ``vik.core.access.get_for_user`` logs the model; views and the
    refusal middleware that log again for the same request are no-ops). Ids that are not a
    database bigint are kept only in the detail text."""
    request = request if request is not None else current_request()
    if request is not None:
        if getattr(request, "_vik_denied_logged", False):
            return
        request._vik_denied_logged = True
        if not purpose and hasattr(request, "session"):
            from .purpose import current_purpose

            purpose = str(current_purpose(request) or "")
    oid = as_bigint(object_id)
    log_access(
        user=user,
        action=AccessAction.DENIED,
        kind=obj_kind if oid is not None else None,
        object_id=oid,
        detail=detail or f"{obj_kind} {neutralise(object_id, 40)}",
        result=AccessResult.DENIED,
        request=request,
        purpose=purpose,
    )


@dataclass
class ChainBreak:
    row_id: int
    at: datetime
    reason: str


def _iter_rows(batch: int = 5000) -> Iterator[tuple]:
    last = 0
    cols = (
        "id, at, actor_id, actor_label, role, action, ref_id, ref_kind, purpose, detail, result, ip,"
        " activity_id, activity_version, prev_hash, hash"
    )
    while True:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT {cols} FROM core_accesslog WHERE id > %s ORDER BY id LIMIT %s", [last, batch]
            )
            rows = cur.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def verify_chain(progress=None) -> ChainBreak | None:
    """Recompute the chain from the genesis; return the first broken row, or None.

    Beyond the hashes: the chain head must match the last row (rows removed at the end), the
    number of rows present must equal the number the head has chained (a partition emptied, or
    rows removed and the head rewound), and every partition and the head must carry the
    TRUNCATE guard (a partition created around ``vik.core.partitions``)."""
    from .partitions import unguarded_partitions

    prev = GENESIS
    names = [
        "id",
        "at",
        "actor_id",
        "actor_label",
        "role",
        "action",
        "ref_id",
        "ref_kind",
        "purpose",
        "detail",
        "result",
        "ip",
        "activity_id",
        "activity_version",
    ]
    length = 0
    for row in _iter_rows():
        fields = dict(zip(names, row[:14], strict=True))
        if row[14] != prev:
            return ChainBreak(row[0], row[1], "prev_hash does not match the hash of the row before it")
        if row_hash(prev, fields) != row[15]:
            return ChainBreak(row[0], row[1], "row content does not match its hash")
        prev = row[15]
        length += 1
        if progress:
            progress(1)
    with connection.cursor() as cur:
        cur.execute("SELECT hash, length FROM core_accesslog_head WHERE id = 1")
        head, head_length = cur.fetchone()
    if head != prev:
        return ChainBreak(
            0, timezone.now(), "chain head does not match the last row (rows removed at the end)"
        )
    if head_length != length:
        return ChainBreak(
            0,
            timezone.now(),
            f"the chain head counts {head_length} rows but {length} are present"
            " (a partition was emptied or rows were removed)",
        )
    unguarded = unguarded_partitions()
    if unguarded:
        return ChainBreak(0, timezone.now(), f"no TRUNCATE guard on {', '.join(unguarded)}")
    return None


def who_viewed(*, kind: str, object_id: int, since=None, limit: int = 500):
    """Rows about one record, newest first (index on ref_id, at). ``since`` bounds the time so
    that PostgreSQL prunes the older month partitions."""
    from .models import AccessLog, LogRef

    ref = LogRef.objects.filter(kind=kind, object_id=object_id).first()
    if ref is None:
        return AccessLog.objects.none()
    return rows_about(ref.pk, since=since, limit=limit)


def rows_about(ref_id: int, *, since=None, before: tuple | None = None, limit: int = 500):
    """Rows about one registered record (its LogRef id), newest first. ``before`` = (at, id) of
    the last row of the previous page: keyset paging that stays fast however many rows there are
    (an offset would read and skip them all)."""
    from .models import AccessLog

    rows = AccessLog.objects.filter(ref_id=ref_id)
    if since is not None:
        rows = rows.filter(at__gte=since)
    if before is not None:
        at, row_id = before
        rows = rows.filter(models.Q(at__lt=at) | models.Q(at=at, id__lt=row_id))
    return rows.order_by("-at", "-id")[:limit]


def rows_about_page(ref_id: int, *, since=None, before: tuple | None = None, size: int = 100):
    """One page of :func:`rows_about` and the key of the next (older) page, or None at the end."""
    rows = list(rows_about(ref_id, since=since, before=before, limit=size + 1))
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, (rows[-1].at, rows[-1].id)


def logged_kinds() -> list[tuple[str, str]]:
    """(kind, label) of the record kinds the log names: every model under need-to-know."""
    from django.apps import apps

    from .models import ProtectedModel

    kinds = [
        (m._meta.label_lower, str(m._meta.verbose_name).capitalize())
        for m in apps.get_models()
        if issubclass(m, ProtectedModel)
    ]
    return sorted(kinds, key=lambda k: k[1])


def record_for_viewer(*, user, kind: str, object_id: int):
    """The record a log reference points at, when ``user`` may see it now (need-to-know, or a
    live break-glass grant on exactly that record); otherwise None. The privacy officer who reads
    the log sees pseudonymous references, not names."""
    from django.http import Http404

    from .access import get_for_user
    from .kinds import protected_model

    model = protected_model(kind)
    if model is None:
        return None
    try:
        return get_for_user(model, user, object_id)
    except Http404:
        return None


__all__ = [
    "AccessAction",
    "AccessResult",
    "log_access",
    "log_denied",
    "log_shown",
    "Shown",
    "as_bigint",
    "bind_request",
    "current_request",
    "verify_chain",
    "who_viewed",
    "rows_about",
    "rows_about_page",
    "neutralise",
]
