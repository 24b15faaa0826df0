"""The plan in VIK: the seeded ambitions and actions of the plan's annex show per ambition with
their status, overdue actions in red; a new action with a quarter in the past is refused in
Dutch and nothing is saved; progress is recorded with a dated note."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from django.urls import reverse

from plan.models import Ambition, PlanAction
from plan.seed_data import ACTIONS
from plan.seed_data import seed as seed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded():
    seed_plan(Ambition, PlanAction)


@time_machine.travel(date(2026, 12, 3), tick=False)
def test_overview_shows_the_seeded_actions_per_ambition_with_overdue_in_red(make_user, login):
    page = login(make_user("decision_maker")).get(reverse("plan:overview")).content.decode()
    assert page.count('data-testid="plan-action"') == len(ACTIONS)
    for n in (1, 2, 3, 4):
        assert f'data-testid="ambition-{n}"' in page
    assert "Training medewerkers die veel" in page
    dor = PlanAction.objects.get(title__startswith="Controles in het kader van het Digitaal")
    assert dor.is_overdue(date(2026, 12, 3))
    vik = PlanAction.objects.get(title="VIK operationeel")
    assert not vik.is_overdue(date(2026, 12, 3))  # done
    assert (
        page.count("vik-overdue")
        == PlanAction.objects.filter(planned_year__isnull=False, status__in=["gepland", "lopend"]).count()
    )
    assert "Gereed" in page and "Gepland" in page and "Lopend" in page


@time_machine.travel(date(2026, 12, 3), tick=False)
def test_action_with_a_past_quarter_is_refused_and_nothing_saved(make_user, login):
    client = login(make_user("analyst"))
    before = PlanAction.objects.count()
    data = {
        "ambition": Ambition.objects.get(number=2).pk,
        "title": "Training handhavers",
        "planned_year": 2026,
        "planned_quarter": 3,
    }
    resp = client.post(reverse("plan:action_create"), data)
    assert resp.status_code == 400
    assert "Q3 2026 ligt in het verleden" in resp.content.decode()
    assert PlanAction.objects.count() == before
    resp = client.post(reverse("plan:action_create"), {**data, "planned_year": 2026, "planned_quarter": ""})
    assert resp.status_code == 400 and "allebei" in resp.content.decode()
    resp = client.post(reverse("plan:action_create"), {**data, "planned_quarter": 4})
    assert resp.status_code == 302
    assert PlanAction.objects.get(title="Training handhavers").quarter_label == "Q4 2026"


def test_progress_is_recorded_and_the_decision_maker_only_reads(make_user, login):
    action = PlanAction.objects.get(title="VIK operationeel")
    url = reverse("plan:action_progress", args=[action.pk])
    assert login(make_user("decision_maker")).post(url, {"status": "lopend"}).status_code == 404
    analyst = make_user("analyst", first_name="Anouk", last_name="de Vries")
    assert (
        login(analyst).post(url, {"status": "lopend", "progress_note": "Meldformulier live"}).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "lopend" and "Anouk de Vries" in action.progress_notes
    assert "Meldformulier live" in action.progress_notes
