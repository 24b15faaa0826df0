"""The processing log in the shape of Logboek Dataverwerkingen (LDV; ../shared/REGISTRIES.md §8).

Beside every access-log row about a data subject (a person, organisation, address or vehicle)
VIK writes one LDV record: a span per subject per action, in the request's trace, with the
processing activity's URI and version, the subject as a keyed pseudonym (HMAC-SHA256, never the
id or a BSN) and no user identity (the access log links the user through the trace id).

Sinks (``LDV_SINK``): ``local`` writes the append-only table ``core_processingrecord`` in the same
statement as the access-log rows (``vik.core.accesslog``); ``otlp`` exports each record as an
OpenTelemetry span over OTLP/HTTP (no sampling); ``both`` does both.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

# access-log record kinds that are data subjects, and their LDV subject type
SUBJECT_TYPES = {
    "subjects.person": "person",
    "subjects.organisation": "organisation",
    "subjects.address": "address",
    "subjects.vehicle": "vehicle",
}

ATTR_ACTIVITY = "dpl.core.processing_activity_id"
ATTR_ACTIVITY_VERSION = "dpl.core.processing_activity_version"
ATTR_SUBJECT = "dpl.core.data_subject_id"
ATTR_SUBJECT_TYPE = "dpl.core.data_subject_id_type"
ATTR_FOREIGN_TRACE = "dpl.core.foreign_operation.trace_id"
ATTR_FOREIGN_SPAN = "dpl.core.foreign_operation.span_id"


def _key() -> bytes:
    key = settings.LDV_PSEUDONYM_KEY
    if key:
        return key.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"vik-ldv-pseudonym", hashlib.sha256).digest()


def pseudonym(kind: str, object_id: int) -> str:
    """The data subject's pseudonym: HMAC-SHA256 over its kind and id under the LDV key. The
    privacy officer finds a subject's records by computing the same value."""
    return hmac.new(_key(), f"{kind}:{object_id}".encode(), hashlib.sha256).hexdigest()


def sinks() -> set[str]:
    value = (settings.LDV_SINK or "local").strip().lower()
    if value == "both":
        return {"local", "otlp"}
    return {value} if value in {"local", "otlp"} else {"local"}


@dataclass(frozen=True)
class TraceContext:
    trace_id: str  # 32 hex
    parent_span_id: str  # 16 hex or ""
    foreign_trace_id: str = ""
    foreign_span_id: str = ""


def trace_context(request) -> TraceContext:
    """The request's trace (``request.vik_trace`` set by the trace-context middleware when
    present); otherwise one random trace per request (or per call without a request)."""
    trace = getattr(request, "vik_trace", None) if request is not None else None
    if trace is None:
        # a Celery job or a command under a trace (vik.core.tracing): its records share it
        from . import tracing

        trace = tracing.current()
    if trace is not None:
        foreign = bool(getattr(trace, "foreign", False))
        return TraceContext(
            trace_id=trace.trace_id,
            parent_span_id=trace.span_id,
            foreign_trace_id=trace.trace_id if foreign else "",
            foreign_span_id=(getattr(trace, "parent_span_id", "") or "") if foreign else "",
        )
    if request is not None:
        cached = getattr(request, "_vik_ldv_trace", None)
        if cached is None:
            cached = TraceContext(secrets.token_hex(16), secrets.token_hex(8))
            request._vik_ldv_trace = cached
        return cached
    return TraceContext(secrets.token_hex(16), "")


def new_span_id() -> str:
    return secrets.token_hex(8)


@dataclass
class Record:
    trace_id: str
    span_id: str
    parent_span_id: str
    name: str
    started_at: datetime
    ended_at: datetime
    status: int
    activity_uri: str
    activity_version: int | None
    subject_pseudonym: str
    subject_type: str
    foreign_trace_id: str = ""
    foreign_span_id: str = ""


# --- OTLP sink ----------------------------------------------------------------------------------

_provider_lock = threading.Lock()
_provider = None
_provider_endpoint = ""
_next_span = threading.local()


def _tracer_provider():
    """One tracer provider per process and endpoint, exporting every span (ALWAYS_ON: LDV
    allows no sampling) in batches over OTLP/HTTP."""
    global _provider, _provider_endpoint
    endpoint = settings.LDV_OTLP_ENDPOINT
    with _provider_lock:
        if _provider is not None and _provider_endpoint == endpoint:
            return _provider
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
        from opentelemetry.sdk.trace.sampling import ALWAYS_ON

        class _Ids(RandomIdGenerator):
            """Span ids chosen by VIK (the same id as the local record) when one is set."""

            def generate_span_id(self) -> int:
                wanted = getattr(_next_span, "value", None)
                if wanted:
                    _next_span.value = None
                    return int(wanted, 16)
                return super().generate_span_id()

        if _provider is not None:
            _provider.shutdown()
        provider = TracerProvider(
            resource=Resource.create({"service.name": settings.LDV_SERVICE_NAME}),
            sampler=ALWAYS_ON,
            id_generator=_Ids(),
        )
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint, timeout=5)))
        _provider, _provider_endpoint = provider, endpoint
        return provider


def otlp_export(records: list[Record]) -> None:
    from opentelemetry import trace
    from opentelemetry.trace import Link, NonRecordingSpan, SpanContext, Status, StatusCode, TraceFlags

    tracer = _tracer_provider().get_tracer("vik.ldv")
    codes = {0: StatusCode.UNSET, 1: StatusCode.OK, 2: StatusCode.ERROR}
    for rec in records:
        parent = SpanContext(
            trace_id=int(rec.trace_id, 16),
            span_id=int(rec.parent_span_id or new_span_id(), 16),
            is_remote=True,
            trace_flags=TraceFlags(TraceFlags.SAMPLED),
        )
        links = []
        if rec.foreign_trace_id and rec.foreign_span_id:
            links.append(
                Link(
                    SpanContext(
                        trace_id=int(rec.foreign_trace_id, 16),
                        span_id=int(rec.foreign_span_id, 16),
                        is_remote=True,
                    )
                )
            )
        attributes = {
            ATTR_ACTIVITY: rec.activity_uri,
            ATTR_SUBJECT: rec.subject_pseudonym,
            ATTR_SUBJECT_TYPE: rec.subject_type,
        }
        if rec.activity_version is not None:
            attributes[ATTR_ACTIVITY_VERSION] = rec.activity_version  # type: ignore[assignment]
        if rec.foreign_trace_id:
            attributes[ATTR_FOREIGN_TRACE] = rec.foreign_trace_id
            attributes[ATTR_FOREIGN_SPAN] = rec.foreign_span_id
        _next_span.value = rec.span_id
        span = tracer.start_span(
            rec.name,
            context=trace.set_span_in_context(NonRecordingSpan(parent)),
            attributes=attributes,
            links=links,
            start_time=int(rec.started_at.timestamp() * 1e9),
        )
        span.set_status(Status(codes.get(rec.status, StatusCode.UNSET)))
        span.end(end_time=int(rec.ended_at.timestamp() * 1e9))


def otlp_flush(timeout_millis: int = 10000) -> bool:
    """Wait until every exported span is delivered (tests, shutdown)."""
    if _provider is None:
        return True
    return _provider.force_flush(timeout_millis)


# --- reading (the shape of the LDV "lezen" extension) -------------------------------------------


def records_query(
    *,
    subject_pseudonym: str = "",
    activity_id: int | None = None,
    trace_id: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
):
    """Processing records by data subject (its pseudonym), by activity or by trace (at least one,
    as the LDV reading extension demands), within an optional time window, newest first."""
    from .exceptions import ApplicationError
    from .models import ProcessingRecord

    if not (subject_pseudonym or activity_id or trace_id):
        raise ApplicationError("Zoek op betrokkene, verwerkingsactiviteit of trace.")
    rows = ProcessingRecord.objects.all()
    if subject_pseudonym:
        rows = rows.filter(subject_pseudonym=subject_pseudonym)
    if activity_id:
        rows = rows.filter(activity_id=activity_id)
    if trace_id:
        rows = rows.filter(trace_id=trace_id.lower())
    if start is not None:
        rows = rows.filter(started_at__gte=start)
    if end is not None:
        rows = rows.filter(started_at__lt=end)
    return rows.order_by("-started_at", "-id")


def processing_overview(*, kind: str, object_id: int) -> list[dict]:
    """Per processing activity (and version): how often the subject's data was processed, and
    when first and last; for the answer to a data-subject request."""
    from django.db.models import Count, Max, Min

    from .models import ProcessingActivityVersion, ProcessingRecord

    rows = (
        ProcessingRecord.objects.filter(subject_pseudonym=pseudonym(kind, object_id))
        .values("activity_id", "activity_version", "activity_uri")
        .annotate(count=Count("id"), first=Min("started_at"), last=Max("started_at"))
        .order_by("activity_uri", "activity_version")
    )
    rows = list(rows)  # type: ignore[assignment]
    names = {
        (v.activity_id, v.number): v
        for v in ProcessingActivityVersion.objects.filter(activity_id__in={r["activity_id"] for r in rows})
    }
    out = []
    for r in rows:
        version = names.get((r["activity_id"], r["activity_version"]))
        out.append(
            {
                "activity": version.name if version else "",
                "purpose": version.purpose if version else "",
                "legal_bases": version.legal_basis_labels if version else [],
                "uri": r["activity_uri"],
                "version": r["activity_version"],
                "count": r["count"],
                "first": r["first"],
                "last": r["last"],
            }
        )
    return out
