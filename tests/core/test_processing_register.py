"""Issue #24: the register of processing activities (AVG art. 30), every purpose mapped onto an
activity, and the processing log in the shape of Logboek Dataverwerkingen (LDV).

- a change to an activity is a new version; old versions are never changed (database trigger),
  and access-log rows keep pointing at the version in force when they were written;
- a read whose purpose belongs to no activity is refused with a Dutch message, and nothing logged;
- one LDV record per data subject per action, with trace/span ids, the activity URI, a keyed
  pseudonym (never the id) and no user identity; append-only;
- the OTLP sink delivers the same records as spans to a collector (a real HTTP server here).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import pytest

from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from tests.factories.subjects import OrganisationFactory, PersonFactory
from vik.core import ldv, register
from vik.core.accesslog import log_access, log_shown, verify_chain
from vik.core.constants import AccessAction
from vik.core.exceptions import PurposeWithoutActivity
from vik.core.models import AccessLog, ProcessingActivity, ProcessingRecord, PurposeMapping
from vik.core.purpose import purpose_set, require_purpose

pytestmark = pytest.mark.django_db


def _fields(activity, **changes):
    current = register.current_version(activity)
    values = {f: getattr(current, f) for f in register.VERSION_FIELDS}
    values.update(changes)
    return values


def _request(rf, user, path="/"):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get(path)
    request.user = user
    request.session = SessionStore()
    return request


# --- the register -------------------------------------------------------------------------------


def test_seeded_register_covers_vik_processing_and_every_case_kind_and_reason():
    from vik.core.constants import ReasonCategory
    from vik.core.registry import registry

    codes = set(ProcessingActivity.objects.values_list("code", flat=True))
    for code in (
        "signaalverwerking",
        "subjectregistratie",
        "sluiting-13b",
        "last-onder-dwangsom",
        "bestuursdwang",
        "bibob",
        "casustafel",
        "dashboards",
        "registerbevraging",
        "bewaren-vernietigen",
        "rechten-betrokkenen",
    ):
        assert code in codes
    activity = ProcessingActivity.objects.get(code="bibob")
    assert activity.uri == settings.VIK_REGISTER_BASE_URL.rstrip("/") + "/bibob"
    for kind in registry.case_kinds:
        assert register.activity_for_keys([f"case:{kind}"]) is not None, kind
    for category in ReasonCategory.values:
        assert register.activity_for_keys([f"reason:{category}"]) is not None, category


def test_a_change_is_a_new_version_and_old_versions_are_never_changed(make_user):
    officer = make_user("privacy_officer")
    activity = ProcessingActivity.objects.get(code="dashboards")
    v1 = register.current_version(activity)
    v2 = register.activity_revise(
        actor=officer,
        activity=activity,
        **_fields(activity, purpose="Sturing en verantwoording aan de raad."),
    )
    activity.refresh_from_db()
    assert (activity.current_version, v2.number) == (2, 2)
    old = activity.versions.get(number=1)
    assert old.purpose == v1.purpose and old.valid_to is not None and v2.valid_to is None
    # the database refuses any other change of a version, and its removal
    for sql in (
        "UPDATE core_processingactivityversion SET purpose = 'herschreven' WHERE id = %s",
        "UPDATE core_processingactivityversion SET valid_to = NULL WHERE id = %s",
        "DELETE FROM core_processingactivityversion WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [old.pk])
    old.refresh_from_db()
    assert old.purpose == v1.purpose


def test_log_rows_keep_the_version_in_force_and_the_chain_verifies(make_user, rf):
    analyst, officer = make_user("analyst"), make_user("privacy_officer")
    person = PersonFactory(owner_team=analyst.org_unit)
    activity = ProcessingActivity.objects.get(code="subjectregistratie")
    request = _request(rf, analyst)
    purpose_set(request=request, reason="Onderzoek naar ondermijning in de wijk", category="onderzoek")
    label = str(require_purpose(request))
    first = log_access(user=analyst, action=AccessAction.READ, obj=person, purpose=label, request=request)
    register.activity_revise(
        actor=officer, activity=activity, **_fields(activity, recipients="Team Veiligheid, RIEC")
    )
    second = log_access(user=analyst, action=AccessAction.READ, obj=person, purpose=label, request=request)
    rows = {r.id: r for r in AccessLog.objects.filter(id__in=[first, second])}
    assert (rows[first].activity_id, rows[first].activity_version) == (activity.pk, 1)
    assert (rows[second].activity_id, rows[second].activity_version) == (activity.pk, 2)
    assert verify_chain() is None


def test_activity_is_part_of_the_hash_chain(make_user):
    analyst = make_user("analyst")
    row = log_access(
        user=analyst, action=AccessAction.READ, kind="subjects.person", object_id=1, activity="bibob"
    )
    assert AccessLog.objects.get(id=row).activity_id is not None
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE core_accesslog DISABLE TRIGGER USER")
        cur.execute("UPDATE core_accesslog SET activity_version = 99 WHERE id = %s", [row])
        cur.execute("ALTER TABLE core_accesslog ENABLE TRIGGER USER")
    broken = verify_chain()
    assert broken is not None and broken.row_id == row


# --- every purpose maps to an activity ----------------------------------------------------------


def test_a_purpose_without_activity_is_refused(make_user, rf):
    analyst = make_user("analyst")
    request = _request(rf, analyst)
    purpose_set(request=request, reason="Casustafel voorbereiden voor december", category="casustafel")
    PurposeMapping.objects.filter(kind="reason", key="casustafel").delete()
    with pytest.raises(PurposeWithoutActivity, match="geen verwerkingsactiviteit"):
        require_purpose(request)
    with pytest.raises(Exception, match="geen verwerkingsactiviteit"):
        purpose_set(request=request, reason="Casustafel voorbereiden voor december", category="casustafel")


def test_a_subject_page_refuses_a_purpose_without_activity_and_logs_nothing(make_user, login, with_purpose):
    analyst = make_user("analyst")
    person = PersonFactory(owner_team=analyst.org_unit)
    client = with_purpose(login(analyst))
    url = reverse("subjects:person_detail", args=[person.pk])
    assert client.get(url).status_code == 200
    PurposeMapping.objects.filter(kind="reason").delete()
    before = AccessLog.objects.count()
    resp = client.get(url)
    assert "geen verwerkingsactiviteit" in resp.content.decode()
    assert person.geslachtsnaam not in resp.content.decode()
    assert AccessLog.objects.count() == before


def test_the_purpose_form_offers_reason_categories(make_user, login):
    client = login(make_user("analyst"))
    resp = client.post(
        reverse("core:purpose"), {"reason": "Controle in de basisregistraties", "category": "register"}
    )
    assert resp.status_code == 302
    assert client.session["vik_purpose"]["category"] == "register"


def test_a_page_logging_its_own_case_takes_the_page_activity(make_user, login):
    from tests.factories.signals import make_signal

    analyst = make_user("analyst")
    person = PersonFactory(owner_team=analyst.org_unit)
    signal = make_signal(analyst, links=[(person, "betrokkene")])
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert login(analyst).get(reverse("signals:detail", args=[signal.pk])).status_code == 200
    rows = AccessLog.objects.filter(id__gt=last)
    intake = ProcessingActivity.objects.get(code="signaalverwerking")
    assert rows.exists() and set(rows.values_list("activity_id", flat=True)) == {intake.pk}


# --- the LDV record -----------------------------------------------------------------------------


def test_one_ldv_record_per_subject_per_action_without_user_or_id(make_user, rf):
    analyst = make_user("analyst")
    person, org = PersonFactory(owner_team=analyst.org_unit), OrganisationFactory(owner_team=analyst.org_unit)
    request = _request(rf, analyst)
    request.resolver_match = SimpleNamespace(namespace="subjects", url_name="person_detail")
    purpose_set(request=request, reason="Onderzoek naar ondermijning in de wijk")
    label = str(require_purpose(request))
    before = ProcessingRecord.objects.count()
    log_shown(user=analyst, request=request, shown=[(person, label), (org, label), (person, label)])
    records = list(ProcessingRecord.objects.order_by("id")[before:])
    assert len(records) == 2  # one per subject; the person shown twice is one processing
    activity = ProcessingActivity.objects.get(code="subjectregistratie")
    key = (
        settings.LDV_PSEUDONYM_KEY.encode()
        or hmac.new(settings.SECRET_KEY.encode(), b"vik-ldv-pseudonym", hashlib.sha256).digest()
    )
    expected = {
        hmac.new(key, f"subjects.person:{person.pk}".encode(), hashlib.sha256).hexdigest(): "person",
        hmac.new(key, f"subjects.organisation:{org.pk}".encode(), hashlib.sha256).hexdigest(): "organisation",
    }
    assert {r.subject_pseudonym: r.subject_type for r in records} == expected
    assert len({r.trace_id for r in records}) == 1 and len(records[0].trace_id) == 32
    assert len({r.span_id for r in records}) == 2 and all(len(r.span_id) == 16 for r in records)
    for r in records:
        assert r.parent_span_id and r.parent_span_id != r.span_id
        assert (r.activity_uri, r.activity_version, r.status, r.name) == (activity.uri, 1, 1, "read")
        assert r.started_at <= r.ended_at and not r.foreign_trace_id
        text = " ".join(str(getattr(r, f.attname)) for f in ProcessingRecord._meta.fields)
        assert analyst.username not in text
    # no user identity in the record at all: no column for it
    names = {f.name for f in ProcessingRecord._meta.fields}
    assert not names & {"user", "actor", "actor_id", "actor_label", "role", "ip"}
    # append-only
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_processingrecord SET subject_type = 'x' WHERE id = %s", [records[0].pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_processingrecord WHERE id = %s", [records[0].pk])


def test_ldv_record_carries_the_request_trace_and_a_foreign_operation(make_user, rf):
    analyst = make_user("analyst")
    person = PersonFactory(owner_team=analyst.org_unit)
    request = _request(rf, analyst)
    request.vik_trace = SimpleNamespace(
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
        span_id="00f067aa0ba902b7",
        parent_span_id="a1b2c3d4e5f60718",
        foreign=True,
    )
    log_access(
        user=analyst, action=AccessAction.SEARCH, obj=person, purpose="x", request=request, activity="bibob"
    )
    record = ProcessingRecord.objects.latest("id")
    assert (record.trace_id, record.parent_span_id, record.name) == (
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
        "search",
    )
    assert (record.foreign_trace_id, record.foreign_span_id) == (
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "a1b2c3d4e5f60718",
    )
    assert record.activity_uri.endswith("/bibob")


def test_no_ldv_record_for_a_refusal_or_a_non_subject(make_user):
    analyst = make_user("analyst")
    before = ProcessingRecord.objects.count()
    log_access(user=analyst, action=AccessAction.DENIED, kind="subjects.person", object_id=5, result="denied")
    log_access(user=analyst, action=AccessAction.DOWNLOAD, kind="signals.attachment", object_id=5)
    assert ProcessingRecord.objects.count() == before


# --- the OTLP sink against a local collector stand-in -------------------------------------------


@pytest.fixture
def collector():
    """A tiny OTLP/HTTP collector: receives export requests and keeps their bodies."""
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1/traces", bodies
    server.shutdown()


def test_otlp_sink_exports_one_span_per_subject_with_ldv_attributes(make_user, rf, settings, collector):
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    endpoint, bodies = collector
    settings.LDV_SINK = "otlp"
    settings.LDV_OTLP_ENDPOINT = endpoint
    analyst = make_user("analyst")
    person, org = PersonFactory(owner_team=analyst.org_unit), OrganisationFactory(owner_team=analyst.org_unit)
    request = _request(rf, analyst)
    request.vik_trace = SimpleNamespace(
        trace_id="0af7651916cd43dd8448eb211c80319c",
        span_id="b7ad6b7169203331",
        parent_span_id="",
        foreign=False,
    )
    before = ProcessingRecord.objects.count()
    log_shown(user=analyst, request=request, shown=[(person, "x"), (org, "x")], activity="casustafel")
    assert ProcessingRecord.objects.count() == before  # otlp only: nothing in the local table
    assert ldv.otlp_flush()
    spans = []
    for body in bodies:
        export = ExportTraceServiceRequest()
        export.ParseFromString(body)
        for rs in export.resource_spans:
            service = {a.key: a.value.string_value for a in rs.resource.attributes}["service.name"]
            assert service == settings.LDV_SERVICE_NAME
            for ss in rs.scope_spans:
                spans += list(ss.spans)
    assert len(spans) == 2
    activity = ProcessingActivity.objects.get(code="casustafel")
    types = set()
    for span in spans:
        attrs = {a.key: a.value for a in span.attributes}
        assert span.trace_id.hex() == "0af7651916cd43dd8448eb211c80319c"
        assert span.parent_span_id.hex() == "b7ad6b7169203331"
        assert span.name == "read" and span.status.code == 1  # STATUS_CODE_OK
        assert attrs[ldv.ATTR_ACTIVITY].string_value == activity.uri
        assert attrs[ldv.ATTR_ACTIVITY_VERSION].int_value == 1
        assert len(attrs[ldv.ATTR_SUBJECT].string_value) == 64
        assert str(person.pk) != attrs[ldv.ATTR_SUBJECT].string_value
        types.add(attrs[ldv.ATTR_SUBJECT_TYPE].string_value)
        assert not any("user" in k or "actor" in k for k in attrs)
    assert types == {"person", "organisation"}


# --- reading ------------------------------------------------------------------------------------


def test_processing_log_page_finds_a_subjects_records_and_refuses_an_empty_query(make_user, login, rf):
    officer, analyst = make_user("privacy_officer"), make_user("analyst")
    person = PersonFactory(owner_team=analyst.org_unit)
    log_access(user=analyst, action=AccessAction.READ, obj=person, purpose="x", activity="bibob")
    client = login(officer)
    url = reverse("privacy:processing_log")
    resp = client.get(url, {"subject_kind": "subjects.person", "subject_id": person.pk})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert ldv.pseudonym("subjects.person", person.pk)[:14] in body and "bibob" in body
    assert person.geslachtsnaam not in body
    resp = client.get(url, {"start": "2026-01-01"})
    assert resp.status_code == 400 and "ten minste één" in resp.content.decode()
    assert login(analyst).get(url).status_code == 404


def test_register_pages_officer_edits_admin_reads(make_user, login):
    officer, admin = make_user("privacy_officer"), make_user("functional_admin")
    activity = ProcessingActivity.objects.get(code="casustafel")
    edit = reverse("privacy:register_edit", args=[activity.pk])
    data = _fields(activity, purpose="Casussen bespreken met partners (gewijzigd).")
    resp = login(officer).post(edit, {**data, "legal_bases": data["legal_bases"]})
    assert resp.status_code == 302
    activity.refresh_from_db()
    assert activity.current_version == 2
    detail = login(admin).get(reverse("privacy:register_detail", args=[activity.pk])).content.decode()
    assert "(gewijzigd)" in detail and "Versiegeschiedenis" in detail
    assert login(admin).get(edit).status_code == 404
    assert login(make_user("analyst")).get(reverse("privacy:register_list")).status_code == 404
    csv_body = login(admin).get(reverse("privacy:register_export", args=["csv"])).content.decode("utf-8-sig")
    assert activity.uri in csv_body and "(gewijzigd)" in csv_body
    pdf = login(admin).get(reverse("privacy:register_export", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_officer_maps_a_new_case_kind(make_user, login):
    from vik.core.registry import register_case_kind, registry

    officer = make_user("privacy_officer")
    saved = dict(registry.case_kinds)
    try:
        register_case_kind("vergunning", "Vergunning", lambda user, pk: None)
        page = login(officer).get(reverse("privacy:mapping_list")).content.decode()
        assert "Vergunning" in page and "geweigerd" in page
        bibob = ProcessingActivity.objects.get(code="bibob")
        resp = login(officer).post(
            reverse("privacy:mapping_list"), {"kind": "case", "key": "vergunning", "activity": bibob.pk}
        )
        assert resp.status_code == 302
        assert register.activity_for_keys(["case:vergunning"]).id == bibob.pk
    finally:
        registry.case_kinds.clear()
        registry.case_kinds.update(saved)


def test_ldv_record_of_a_job_shares_the_jobs_trace_with_its_access_log_row(make_user):
    """A Celery job (or command) runs under a trace of its own (vik.core.tracing): its access-log
    row and its LDV record carry that trace, so the two logs can be joined on it."""
    from vik.core import tracing

    analyst = make_user("analyst")
    person = PersonFactory(owner_team=analyst.org_unit)
    job = tracing.start_trace()
    token = tracing.activate(job)
    try:
        log_access(user=analyst, action=AccessAction.READ, obj=person, purpose="x", activity="bibob")
    finally:
        tracing.deactivate(token)
    record = ProcessingRecord.objects.latest("id")
    row = AccessLog.objects.latest("id")
    assert record.trace_id == row.trace_id == job.trace_id
    assert record.parent_span_id == job.span_id
    assert (record.foreign_trace_id, record.foreign_span_id) == ("", "")
