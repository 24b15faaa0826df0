"""W3C Trace Context (level 1) for VIK: one trace per request or job, carried to every outgoing
call and stored on every access-log row.

- An incoming ``traceparent`` (web and API) is accepted when it is well formed: version ``00``
  (or a later version whose first four fields have the 00 shape), 32 lowercase hex trace id and
  16 hex parent id, neither all zeros, two hex flags. Anything else (uppercase, wrong length,
  version ``ff``, all-zero ids, two headers joined by a comma) is ignored and a new trace starts;
  a bad header is never an error. ``tracestate`` is passed on unchanged when it is plausible
  (at most 512 characters, printable ASCII) and only together with an accepted ``traceparent``.
- Each request gets its own span id; the incoming parent id becomes ``parent_span_id`` and
  ``foreign`` says that the trace came from outside (another organisation's trace: the LDV
  processing log's ``foreign_operation``).
- Code without a request (Celery tasks) reads the same context from a contextvar: the trace
  travels in the task message's ``traceparent`` header (``before_task_publish``) and is restored
  in the worker (``task_prerun``); the outbox keeps it with the task it holds back.
- Every outgoing HTTP call sends :func:`outgoing_headers`: a child span of the current one.

Ids come from :mod:`secrets`. See docs/api.md and docs/registries.md ("Trace context").
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
_FIELDS = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_TRACESTATE_OK = re.compile(r"^[\x20-\x7e]*$")
TRACESTATE_MAX = 512
ZERO_TRACE, ZERO_SPAN = "0" * 32, "0" * 16


@dataclass(frozen=True)
class TraceContext:
    """The trace a request or job belongs to. ``span_id`` is this request's (or job's) own span;
    the attributes are the interface the processing log reads (``request.vik_trace``)."""

    trace_id: str
    span_id: str
    parent_span_id: str = ""
    foreign: bool = False
    tracestate: str = ""

    @property
    def traceparent(self) -> str:
        """This span as a ``traceparent`` value (VIK records every trace: flag sampled)."""
        return f"00-{self.trace_id}-{self.span_id}-01"

    def child(self) -> TraceContext:
        """A new span under this one (an outgoing call, a task, one data subject's record)."""
        return replace(self, span_id=new_span_id(), parent_span_id=self.span_id, foreign=False)


def new_trace_id() -> str:
    while True:
        value = secrets.token_hex(16)
        if value != ZERO_TRACE:
            return value


def new_span_id() -> str:
    while True:
        value = secrets.token_hex(8)
        if value != ZERO_SPAN:
            return value


def parse_traceparent(value: object) -> tuple[str, str, str] | None:
    """(trace_id, parent_id, flags) of a valid header value, else None (never raises)."""
    if not isinstance(value, str) or len(value) > 512:
        return None
    value = value.strip(" \t")
    match = _FIELDS.match(value)
    if match is None:
        return None
    version, trace_id, parent_id, flags = match.groups()
    if version == "ff":
        return None
    rest = value[55:]
    if version == "00" and rest:
        return None  # version 00 has exactly four fields
    if rest and not rest.startswith("-"):
        return None  # a later version may add fields, separated by a dash
    if trace_id == ZERO_TRACE or parent_id == ZERO_SPAN:
        return None
    return trace_id, parent_id, flags


def clean_tracestate(value: object) -> str:
    if not isinstance(value, str):
        return ""
    value = value.strip(" \t")
    if not value or len(value) > TRACESTATE_MAX or not _TRACESTATE_OK.match(value):
        return ""
    return value


def start_trace() -> TraceContext:
    return TraceContext(trace_id=new_trace_id(), span_id=new_span_id())


def from_headers(traceparent: object, tracestate: object = None, *, foreign: bool = True) -> TraceContext:
    """The context for work caused by a caller's ``traceparent``: same trace, a new span whose
    parent is the caller's. A missing or invalid header starts a new trace (``foreign`` False)."""
    parsed = parse_traceparent(traceparent)
    if parsed is None:
        return start_trace()
    trace_id, parent_id, _flags = parsed
    return TraceContext(
        trace_id=trace_id,
        span_id=new_span_id(),
        parent_span_id=parent_id,
        foreign=foreign,
        tracestate=clean_tracestate(tracestate),
    )


# --- the current trace --------------------------------------------------------------------------

_current: ContextVar[TraceContext | None] = ContextVar("vik_trace", default=None)


def current() -> TraceContext | None:
    return _current.get()


def activate(context: TraceContext):
    """Make ``context`` current; returns a token for :func:`deactivate`."""
    return _current.set(context)


def deactivate(token) -> None:
    try:
        _current.reset(token)
    except ValueError:  # reset from another context (a generator finished elsewhere)
        _current.set(None)


def current_traceparent() -> str:
    """The current span as a ``traceparent`` value, or "" outside a request or job (the outbox
    keeps it with each task it holds)."""
    context = _current.get()
    return context.traceparent if context is not None else ""


def current_or_new() -> TraceContext:
    """The current context, or (outside any request or job: a management command) a fresh trace
    for this one piece of work."""
    return _current.get() or start_trace()


def outgoing_headers() -> dict[str, str]:
    """Headers for one outgoing HTTP call: a child span of the current trace (or a new trace)."""
    context = current()
    child = context.child() if context is not None else start_trace()
    headers = {TRACEPARENT: child.traceparent}
    if child.tracestate:
        headers[TRACESTATE] = child.tracestate
    return headers


def traced_iterator(iterator, context: TraceContext) -> Iterator:
    """A streaming response's chunks, produced with the request's trace current (they are
    generated after the middleware has returned)."""
    token = activate(context)
    try:
        yield from iterator
    finally:
        deactivate(token)


# --- the request -----------------------------------------------------------------------------


class TraceContextMiddleware:
    """First in MIDDLEWARE (web and API): accept the caller's ``traceparent`` or start a trace,
    expose it as ``request.vik_trace``, make it current for the request and answer with a
    ``traceparent`` header naming this request's span (a caller finds its rows with it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = from_headers(request.META.get("HTTP_TRACEPARENT"), request.META.get("HTTP_TRACESTATE"))
        request.vik_trace = context
        token = activate(context)
        try:
            response = self.get_response(request)
        finally:
            deactivate(token)
        response[TRACEPARENT] = context.traceparent
        if getattr(response, "streaming", False) and not getattr(response, "is_async", False):
            response.streaming_content = traced_iterator(response.streaming_content, context)
        return response


# --- Celery -------------------------------------------------------------------------------------


def task_headers() -> dict[str, str]:
    """Headers a task message carries so that the worker continues the current trace."""
    context = current()
    if context is None:
        return {}
    headers = {TRACEPARENT: context.traceparent}
    if context.tracestate:
        headers[TRACESTATE] = context.tracestate
    return headers


def on_before_task_publish(headers=None, **_kwargs) -> None:
    """Put the current trace on a task message (unless the sender already did: the outbox keeps
    the trace of the request that enqueued the task)."""
    if headers is None or headers.get(TRACEPARENT):
        return
    headers.update(task_headers())


def on_task_prerun(task=None, **_kwargs) -> None:
    """In the worker: continue the trace the message carries; a beat job starts its own. In eager
    mode (tests) the caller's trace is still current and the task becomes a child span."""
    if task is None:
        return
    request = task.request
    carrier = request if hasattr(request, "get") else {}
    incoming = carrier.get(TRACEPARENT)
    if incoming is None and isinstance(carrier.get("headers"), dict):
        carrier = carrier.get("headers")  # eager mode keeps the message headers apart
        incoming = carrier.get(TRACEPARENT)  # type: ignore[union-attr]
    if parse_traceparent(incoming) is not None:
        context = from_headers(incoming, carrier.get(TRACESTATE), foreign=False)
    elif current() is not None:
        context = current().child()  # type: ignore[union-attr]
    else:
        context = start_trace()
    request._vik_trace_token = activate(context)


def on_task_postrun(task=None, **_kwargs) -> None:
    token = getattr(getattr(task, "request", None), "_vik_trace_token", None)
    if token is not None:
        deactivate(token)
        task.request._vik_trace_token = None
