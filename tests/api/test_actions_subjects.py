"""Casustafel action items for partners, subjects with a purpose and the access log, measures
and deadlines, figures and the deadline calculator."""

from __future__ import annotations

from datetime import date

import pytest

from meetings.constants import MeetingState
from meetings.models import ActionItemChange
from tests.api.conftest import problem
from tests.factories.meetings import add_action, add_free, advance, make_meeting
from tests.factories.signals import make_person
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(users, police_org, riec_org):
    chair = users["chair"]
    meeting = make_meeting(chair=chair, orgs=[police_org, riec_org])
    shared = add_free(meeting, chair, title="Gedeeld", share=[police_org, riec_org])
    advance(meeting, chair, MeetingState.HELD)
    return {
        "police": add_action(shared, chair, org=police_org),
        "riec": add_action(shared, chair, org=riec_org),
    }


def test_partner_lists_and_updates_own_action(make_api, users, actions):
    _c, api = make_api(users["partner"])
    listed = api.get("acties?mijn=true").json()["results"]
    assert [a["id"] for a in listed] == [actions["police"].pk]
    resp = api.patch(f"acties/{actions['police'].pk}", {"status": "in_progress", "toelichting": "Gepland"})
    assert resp.status_code == 200 and resp.json()["status"] == "in_progress"
    changes = ActionItemChange.objects.filter(action=actions["police"], to_status="in_progress")
    change = changes.get()
    assert change.actor == users["partner"] and change.note == "Gepland"
    # the RIEC's action on the same item: visible, but not theirs to update
    resp = api.patch(f"acties/{actions['riec'].pk}", {"status": "done"})
    assert resp.status_code == 400 and problem(resp)
    actions["riec"].refresh_from_db()
    assert actions["riec"].status == "open"
    # bad input: unknown status and unknown field, nothing written
    resp = api.patch(f"acties/{actions['police'].pk}", {"status": "klaar", "prioriteit": 1})
    assert {p["name"] for p in problem(resp)["invalidParams"]} == {"status", "prioriteit"}
    assert ActionItemChange.objects.filter(to_status__in=["done", "in_progress"]).count() == 1


def test_action_of_a_meeting_the_partner_is_not_in_is_404(make_api, users, make_user, riec_org, actions):
    chair = users["chair"]
    meeting = make_meeting(chair=chair, orgs=[riec_org])
    item = add_free(meeting, chair, title="Alleen RIEC", share=[riec_org])
    advance(meeting, chair, MeetingState.HELD)
    hidden = add_action(item, chair, org=riec_org)
    _c, api = make_api(users["partner"])
    assert api.get(f"acties/{hidden.pk}").status_code == 404
    assert api.patch(f"acties/{hidden.pk}", {"status": "done"}).status_code == 404
    assert hidden.pk not in {a["id"] for a in api.get("acties").json()["results"]}


def test_subjects_need_a_purpose_and_are_logged(make_api, users, make_user, other_team):
    person = make_person(users["analyst"].org_unit, geslachtsnaam="Veldkamp")
    _c, api = make_api(users["analyst"])
    resp = api.get(f"personen/{person.pk}")
    assert resp.status_code == 400
    assert problem(resp)["invalidParams"][0]["name"] == "X-VIK-Doel"
    assert api.get(f"personen/{person.pk}", HTTP_X_VIK_DOEL="kort").status_code == 400
    assert api.get(f"personen/{person.pk}", HTTP_X_VIK_DOEL="signal:999999").status_code == 400
    before = AccessLog.objects.count()
    resp = api.get(f"personen/{person.pk}", HTTP_X_VIK_DOEL="Controle vergunning Grotestraat")
    assert resp.status_code == 200 and resp.json()["geslachtsnaam"] == "Veldkamp"
    row = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert row.action == "read" and row.ref_kind.endswith("person") and "Controle vergunning" in row.purpose
    before = AccessLog.objects.order_by("-id").first().pk
    found = api.get("subjecten?q=Veldkamp", HTTP_X_VIK_DOEL="Controle vergunning Grotestraat").json()
    assert [h["id"] for h in found["resultaten"]] == [person.pk]
    # one search row, and a read row for the hit it shows (issue #15 item 4, as on the web)
    rows = list(AccessLog.objects.filter(pk__gt=before).values_list("action", "ref_kind"))
    assert any(action == "search" for action, _kind in rows)
    assert ("read", "subjects.person") in rows
    # another team's person: 404 with a purpose, absent from search
    hidden = make_person(other_team, geslachtsnaam="Veldkamp")
    assert (
        api.get(f"personen/{hidden.pk}", HTTP_X_VIK_DOEL="Controle vergunning Grotestraat").status_code == 404
    )
    denied = AccessLog.objects.order_by("-id").first()
    assert denied.action == "denied" and denied.actor_id == users["analyst"].pk
    found = api.get("subjecten?q=Veldkamp", HTTP_X_VIK_DOEL="Controle vergunning Grotestraat").json()
    assert hidden.pk not in [h["id"] for h in found["resultaten"]]
    # a partner has no subject access at all
    _c, partner = make_api(users["partner"])
    assert (
        partner.get(f"personen/{person.pk}", HTTP_X_VIK_DOEL="Controle vergunning Grotestraat").status_code
        == 404
    )


def test_measures_deadlines_figures_and_calculator(make_api, users, make_user, other_team):
    from tests.factories.measures import make_measure

    own = make_measure(users["analyst"], rapportage_date=date(2026, 3, 2))
    foreign = make_measure(make_user("analyst", org=other_team), rapportage_date=date(2026, 3, 2))
    _c, api = make_api(users["analyst"])
    assert [m["id"] for m in api.get("maatregelen").json()["results"]] == [own.pk]
    detail = api.get(f"maatregelen/{own.pk}").json()
    assert detail["id"] == own.pk and isinstance(detail["termijnen"], list)
    assert api.get(f"maatregelen/{foreign.pk}").status_code == 404
    assert {d["maatregel"] for d in api.get("termijnen").json()["results"]} <= {own.pk}
    figures = api.get("cijfers").json()["figuren"]
    assert figures and all("rijen" in f for f in figures)
    _c, partner = make_api(users["partner"])
    assert partner.get("cijfers").status_code == 404
    assert partner.get("maatregelen").json()["results"] == []
    resp = api.post("termijnberekeningen", {"procedure": "bestaat_niet", "gebeurtenissen": []})
    assert resp.status_code == 400 and problem(resp)["invalidParams"][0]["name"] == "gebeurtenissen"
    # the legal engine of the web's calculator: 6 weeks after Fri 24 Apr 2026 is Fri 5 Jun 2026
    resp = api.post(
        "termijnberekeningen",
        {"procedure": "bezwaar_beroep", "gebeurtenissen": [{"type": "bekendmaking", "on": "2026-04-24"}]},
    )
    assert resp.status_code == 200
    assert "2026-06-05" in {t["uitersteDatum"] for t in resp.json()["termijnen"]}


def test_an_api_callers_trace_is_on_the_rows_and_in_the_answer(make_api, users):
    """W3C trace context (issue #24 item 3): another organisation's trace id ends up on the
    access-log rows of its request; the answer names the trace and this request's span."""
    person = make_person(users["analyst"].org_unit, geslachtsnaam="Veldkamp")
    _c, api = make_api(users["analyst"])
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    resp = api.get(
        f"personen/{person.pk}",
        HTTP_X_VIK_DOEL="Controle vergunning Grotestraat",
        HTTP_TRACEPARENT=f"00-{trace}-00f067aa0ba902b7-01",
    )
    assert resp.status_code == 200
    assert resp["traceparent"].startswith(f"00-{trace}-") and "Trace-Id" not in resp
    span = resp["traceparent"][36:52]
    rows = set(AccessLog.objects.filter(id__gt=last).values_list("trace_id", "span_id"))
    assert rows == {(trace, span)}
