"""W3C trace context (issue #24 item 3): an incoming ``traceparent`` is accepted or a trace is
started, answered in the response, stored on every access-log row, carried into tasks and sent
on every outgoing call (registries, IdP) over real HTTP."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from django.db import connection
from django.urls import reverse

from tests.factories.subjects import PersonFactory
from tests.registries.standin_fixture import registry_standin, registry_standin_server  # noqa: F401
from vik.core import tracing
from vik.core.accesslog import log_access, log_access_many, verify_chain
from vik.core.constants import AccessAction
from vik.core.models import AccessLog, OutboxTask

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
INCOMING = f"00-{TRACE}-{PARENT}-01"
TRACEPARENT_SHAPE = re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01")


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        INCOMING,
        f"00-{TRACE}-{PARENT}-00",  # not sampled by the caller: VIK still records
        f" 00-{TRACE}-{PARENT}-01 ",
        f"01-{TRACE}-{PARENT}-01-extra",  # a later version may add fields
        f"cc-{TRACE}-{PARENT}-09",
    ],
)
def test_valid_traceparents_are_accepted(value):
    assert tracing.parse_traceparent(value)[:2] == (TRACE, PARENT)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        INCOMING.upper(),  # uppercase hex is invalid
        f"00-{'0' * 32}-{PARENT}-01",  # all-zero trace id
        f"00-{TRACE}-{'0' * 16}-01",  # all-zero parent id
        f"ff-{TRACE}-{PARENT}-01",  # version ff is forbidden
        f"00-{TRACE}-{PARENT}-01-extra",  # version 00 has exactly four fields
        f"01-{TRACE}-{PARENT}-01extra",
        f"00-{TRACE[:-1]}-{PARENT}-01",
        f"00-{TRACE}-{PARENT}",
        f"{INCOMING},{INCOMING}",  # two headers joined
        "00-" + "g" * 32 + f"-{PARENT}-01",
        INCOMING + "x" * 600,
    ],
)
def test_invalid_traceparents_start_a_new_trace(value):
    assert tracing.parse_traceparent(value) is None
    context = tracing.from_headers(value, "vendor=abc")
    assert context.trace_id != TRACE and context.foreign is False and context.tracestate == ""
    assert re.fullmatch(r"[0-9a-f]{32}", context.trace_id) and re.fullmatch(r"[0-9a-f]{16}", context.span_id)


@given(st.text(max_size=80))
def test_parsing_never_raises(value):
    tracing.parse_traceparent(value)
    tracing.from_headers(value, value)


def test_tracestate_is_kept_only_when_plausible():
    assert tracing.from_headers(INCOMING, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7").tracestate == (
        "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"
    )
    assert tracing.from_headers(INCOMING, "a=b\nX-Injected: 1").tracestate == ""
    assert tracing.from_headers(INCOMING, "a=" + "b" * 600).tracestate == ""


# --- requests -----------------------------------------------------------------------------------


def _response_span(response) -> tuple[str, str]:
    value = response["traceparent"]
    assert TRACEPARENT_SHAPE.fullmatch(value), value
    return value[3:35], value[36:52]


@pytest.mark.django_db
def test_a_request_without_traceparent_starts_a_trace_and_answers_it(client):
    first, second = client.get(reverse("core:login")), client.get(reverse("core:login"))
    assert first.status_code == 200
    assert _response_span(first)[0] != _response_span(second)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["rubbish", f"00-{'0' * 32}-{PARENT}-01", "\x00\xff"])
def test_a_malformed_traceparent_is_no_error(client, header):
    response = client.get(reverse("core:login"), HTTP_TRACEPARENT=header)
    assert response.status_code == 200
    assert _response_span(response)[0] != TRACE


@pytest.mark.django_db
def test_the_api_answers_with_the_callers_trace(client):
    response = client.get("/api/v1/openapi.json", HTTP_TRACEPARENT=INCOMING)
    trace_id, span_id = _response_span(response)
    assert trace_id == TRACE and span_id != PARENT
    assert "Trace-Id" not in response  # the API Design Rules define no such header


@pytest.mark.django_db
def test_incoming_trace_ends_up_on_the_access_log_rows(users, login, with_purpose):
    analyst = users["analyst"]
    person = PersonFactory(owner_team=analyst.org_unit)
    client = with_purpose(login(analyst))
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse("subjects:person_detail", args=[person.pk]), HTTP_TRACEPARENT=INCOMING)
    assert response.status_code == 200
    _trace, span_id = _response_span(response)
    rows = list(AccessLog.objects.filter(id__gt=last).values_list("trace_id", "span_id"))
    assert rows and set(rows) == {(TRACE, span_id)}
    assert verify_chain() is None  # the trace columns are outside the hash: the chain holds


@pytest.mark.django_db
def test_rows_outside_a_request_get_a_trace_of_their_own_and_old_rows_still_verify(make_user):
    user = make_user("analyst")
    with connection.cursor() as cur:  # a row as written before core 0011: no trace
        cur.execute("SELECT set_config('vik.trace_id', '', false), set_config('vik.span_id', '', false)")
        cur.execute(
            "SELECT core_accesslog_append(now(), %s, 'analyst', '', 'read', '', NULL, '', 'p', '', 'allowed', '')",
            [user.pk],
        )
        old_id = cur.fetchone()[0]
    new_id = log_access(user=user, action=AccessAction.READ, purpose="p")
    token = tracing.activate(tracing.from_headers(INCOMING))
    try:
        many = log_access_many(user=user, action=AccessAction.READ, objs=[user, user.org_unit])
    finally:
        tracing.deactivate(token)
    assert many == 2
    rows = dict(AccessLog.objects.filter(id__gte=old_id).values_list("id", "trace_id"))
    assert rows[old_id] == ""
    assert re.fullmatch(r"[0-9a-f]{32}", rows[new_id])
    assert [t for i, t in sorted(rows.items()) if i > new_id] == [TRACE, TRACE]
    assert verify_chain() is None


# --- tasks --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_task_continues_the_trace_and_the_outbox_keeps_it(django_capture_on_commit_callbacks):
    from celery import shared_task

    seen = {}

    @shared_task(name="tests.tracing.probe")
    def probe():
        context = tracing.current()
        seen["trace"], seen["parent"] = context.trace_id, context.parent_span_id

    context = tracing.from_headers(INCOMING)
    token = tracing.activate(context)
    try:
        from vik.core.outbox import enqueue

        with django_capture_on_commit_callbacks(execute=True):
            entry = enqueue("tests.tracing.probe")  # published (eagerly) after the commit
    finally:
        tracing.deactivate(token)
    assert OutboxTask.objects.get(pk=entry.pk).traceparent == context.traceparent
    assert seen == {"trace": TRACE, "parent": context.span_id}
    assert tracing.current() is None


def test_a_task_message_carries_the_trace_header():
    """The header Celery's worker restores from (``before_task_publish``), and the restore."""
    headers = {}
    token = tracing.activate(tracing.from_headers(INCOMING))
    try:
        tracing.on_before_task_publish(headers=headers)
        sender_span = tracing.current().span_id
    finally:
        tracing.deactivate(token)
    assert headers["traceparent"] == f"00-{TRACE}-{sender_span}-01"

    class Request(dict):
        pass

    class Task:
        request = Request(traceparent=headers["traceparent"])

    task = Task()
    tracing.on_task_prerun(task=task)
    try:
        worker = tracing.current()
        assert (worker.trace_id, worker.parent_span_id, worker.foreign) == (TRACE, sender_span, False)
    finally:
        tracing.on_task_postrun(task=task)
    assert tracing.current() is None


# --- outgoing calls -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_calls_carry_the_incoming_trace(users, login, with_purpose, registry_standin):  # noqa: F811
    from registries.models import RegistryQuery

    client = with_purpose(login(users["analyst"]))
    response = client.post(
        reverse("registries:person_fetch"), {"step": "lookup", "bsn": "999993653"}, HTTP_TRACEPARENT=INCOMING
    )
    assert response.status_code == 200
    _trace, span_id = _response_span(response)
    sent = {k.lower(): v for k, v in registry_standin.state()["last_headers"]["brp"].items()}
    assert TRACEPARENT_SHAPE.fullmatch(sent["traceparent"])
    assert sent["traceparent"][3:35] == TRACE
    assert sent["traceparent"][36:52] not in (PARENT, span_id)  # a child span of its own
    assert RegistryQuery.objects.get().trace_id == TRACE
    rows = AccessLog.objects.filter(ref_kind="registries.registrydisclosure", trace_id=TRACE)
    assert rows.exists() and set(rows.values_list("span_id", flat=True)) == {span_id}


class _Recorder(BaseHTTPRequestHandler):
    """A tiny identity provider: discovery, JWKS and token endpoints; remembers the headers."""

    seen: list[dict] = []

    def _answer(self, body: dict) -> None:
        _Recorder.seen.append({k.lower(): v for k, v in self.headers.items()})
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path.endswith("openid-configuration"):
            self._answer({"issuer": base, "jwks_uri": base + "/jwks", "token_endpoint": base + "/token"})
        else:
            self._answer({"keys": []})

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer({"access_token": "x"})

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_idp(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen = []
    settings.OIDC_ISSUER = f"http://127.0.0.1:{server.server_port}"
    settings.OIDC_CLIENT_ID = "vik-test"
    _forget_idp(settings.OIDC_ISSUER)
    yield _Recorder
    server.shutdown()
    server.server_close()
    # the port goes back to the pool: another worker's identity provider may get it next, and
    # must not find this recorder's (empty) key set cached under its address
    _forget_idp(settings.OIDC_ISSUER)


def _forget_idp(base: str) -> None:
    """Drop what VIK cached about the identity provider at ``base`` (only that one: the cache is
    shared with the other test workers)."""
    import hashlib

    from django.core.cache import cache

    def digest(value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()[:24]

    jwks = "identity:jwks:" + digest(base + "/jwks")
    cache.delete_many(["identity:discovery:" + digest(base), jwks, jwks + ":fetched"])


def test_idp_calls_carry_the_trace(recording_idp):
    from vik.identity import oidc

    context = tracing.from_headers(INCOMING)
    token = tracing.activate(context)
    try:
        oidc.provider()
        oidc._jwks()
        oidc._token_request({"grant_type": "refresh_token", "refresh_token": "r"})
    finally:
        tracing.deactivate(token)
    assert len(recording_idp.seen) == 3
    spans = set()
    for headers in recording_idp.seen:
        assert TRACEPARENT_SHAPE.fullmatch(headers["traceparent"])
        assert headers["traceparent"][3:35] == TRACE
        spans.add(headers["traceparent"][36:52])
    assert len(spans) == 3 and context.span_id not in spans


@pytest.mark.filterwarnings("ignore:task_always_eager has no effect")
def test_a_task_published_to_the_broker_carries_the_trace():
    """Through the real broker (Redis): the message's headers hold the sender's traceparent."""
    import uuid

    from celery import current_app

    queue_name = f"vik-test-trace-{uuid.uuid4().hex[:8]}"
    with current_app.connection_for_write() as conn:
        queue = conn.SimpleQueue(queue_name)  # declared (and bound) before the publish
        try:
            context = tracing.from_headers(INCOMING)
            token = tracing.activate(context)
            try:
                current_app.send_task("tests.tracing.never_run", queue=queue_name)
            finally:
                tracing.deactivate(token)
            message = queue.get(timeout=5)
            headers = dict(message.headers)
            message.ack()
        finally:
            queue.queue.delete()
            queue.close()
    assert headers["traceparent"] == context.traceparent
