"""Schemathesis against a live server: every operation of the published schema, a bounded number
of generated requests (valid and invalid) per operation, sent with real keys of several roles.
No 5xx, no response that breaks the schema (status, content type, headers, body), and no list
answer that contains a record the caller may not see."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from meetings.constants import MeetingState
from tests.factories.meetings import add_action, add_free, advance, make_meeting
from tests.factories.signals import make_person, make_signal

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 6  # per operation and generation mode; invalid requests are sent with one role only
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
LISTS = {"/signalen": "signal", "/maatregelen": "measure", "/acties": "action", "/subjecten": "subject"}


def test_schemathesis_finds_no_5xx_no_schema_break_no_leak(
    live_server, make_api, users, make_user, other_team, riec_org, police_org, settings
):
    settings.API_RATE_PER_MINUTE = 100_000
    analyst = users["analyst"]
    chair = users["chair"]
    make_signal(analyst, external_ref="EIGEN")
    hidden = {
        "signal": {make_signal(make_user("analyst", org=other_team), external_ref="ANDER").pk},
        "subject": {make_person(other_team, geslachtsnaam="Verborgen").pk},
        "measure": set(),
        "action": set(),
    }
    make_person(analyst.org_unit, geslachtsnaam="Zichtbaar")
    meeting = make_meeting(chair=chair, orgs=[police_org, riec_org])
    shared = add_free(meeting, chair, title="Gedeeld", share=[police_org])
    only_riec = add_free(meeting, chair, title="Alleen RIEC", share=[riec_org])
    advance(meeting, chair, MeetingState.HELD)
    add_action(shared, chair, org=police_org)
    partner_hidden = {"action": {add_action(only_riec, chair, org=riec_org).pk}}
    keys = {
        role: make_api(users[role])[1].headers["HTTP_X_API_KEY"]
        for role in ("analyst", "partner", "decision_maker")
    }
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            roles = keys if mode == GenerationMode.POSITIVE else {"analyst": keys["analyst"]}
            _fuzz(operation, mode, roles, live_server.url, hidden, partner_hidden, failures)
    assert failures == [], "\n".join(sorted(set(failures))[:30])


def _fuzz(operation, mode, keys, base_url, hidden, partner_hidden, failures) -> None:
    path = operation.path.removeprefix("/api/v1")

    @given(case=operation.as_strategy(generation_mode=mode))
    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for role, key in keys.items():
            headers = {"X-API-Key": key}
            if "X-VIK-Doel" not in (case.headers or {}):
                headers["X-VIK-Doel"] = "Fuzzing van de API in de testomgeving"
            response = case.call(base_url=base_url, headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as exc:
                failures.append(f"{role} {operation.label}: {str(exc)[:400]}")
                continue
            kind = LISTS.get(path)
            if kind and case.method == "GET" and response.status_code == 200:
                body = response.json()
                rows = body.get("results", body.get("resultaten", []))
                seen = {row["id"] for row in rows}
                refused = hidden[kind] | (partner_hidden.get(kind, set()) if role == "partner" else set())
                if seen & refused:
                    failures.append(f"{role} {operation.label}: leaked {kind} {sorted(seen & refused)}")

    run()
