"""GET /api/v1/verwerkingen: the processing log in the LDV reading shape, privacy scope only."""

from __future__ import annotations

import pytest

from api.models import Scope
from tests.factories.subjects import PersonFactory
from vik.core import ldv
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.models import ProcessingActivity

pytestmark = pytest.mark.django_db


def test_privacy_client_reads_a_subjects_processing(make_api, users):
    analyst = users["analyst"]
    person = PersonFactory(owner_team=analyst.org_unit)
    log_access(user=analyst, action=AccessAction.READ, obj=person, purpose="x", activity="bibob")
    _client, api = make_api(users["privacy_officer"], scopes=[Scope.PROCESSING_READ])
    resp = api.get(f"verwerkingen?dataSubjectKind=person&dataSubjectNumber={person.pk}")
    assert resp.status_code == 200, resp.content
    [record] = resp.json()["results"]
    assert record["dataSubjectId"] == ldv.pseudonym("subjects.person", person.pk)
    assert record["processingActivityId"] == ProcessingActivity.objects.get(code="bibob").uri
    assert record["dataSubjectIdType"] == "person" and record["name"] == "read"
    assert "actor" not in resp.content.decode() and analyst.username not in resp.content.decode()
    by_trace = api.get(
        f"verwerkingen?traceId={record['traceId']}&startTime=0&endTime={record['endTime'] + 1}"
    )
    assert [r["spanId"] for r in by_trace.json()["results"]] == [record["spanId"]]
    later = api.get(f"verwerkingen?traceId={record['traceId']}&startTime={record['endTime'] + 1}")
    assert later.json()["results"] == []


def test_without_a_criterion_400_without_the_scope_403_without_the_right_404(make_api, users):
    _c, officer_api = make_api(users["privacy_officer"], scopes=[Scope.PROCESSING_READ])
    assert officer_api.get("verwerkingen?startTime=0").status_code == 400
    _c, other_scope = make_api(users["privacy_officer"], scopes=[Scope.SUBJECTS_READ])
    assert other_scope.get("verwerkingen?traceId=" + "a" * 32).status_code == 403
    _c, analyst_api = make_api(users["analyst"], scopes=[Scope.PROCESSING_READ])
    assert analyst_api.get("verwerkingen?traceId=" + "a" * 32).status_code == 404
