"""The URL × role matrix extended to the API: each role's account gets an API key with every
scope, and the API must answer exactly as the web's declared policy (tests/security/policy_*.py)
for the same records: a record page the web shows is a 200, a record the web refuses is a 404,
and a list contains the record exactly when the web lets the role see it. No second rule set."""

from __future__ import annotations

import pytest

from django.urls import reverse

from api.models import Scope
from api.services import api_client_create
from tests.api.conftest import Api
from tests.security.matrix import ROLES
from tests.security.test_url_matrix import POLICY, _build_world

PURPOSE = {"HTTP_X_VIK_DOEL": "Matrixtest van de API-autorisatie"}

# API URL name -> (web URL name whose GET roles decide, record of the world)
DETAIL = {
    "api:signal": ("signals:detail", lambda w: w.signal),
    "api:measure": ("measures:detail", lambda w: w.measure),
    "api:action": ("meetings:action_detail", lambda w: w.meeting_action),
    "api:person": ("subjects:person_detail", lambda w: w.subjects["person"]),
    "api:organisation": ("subjects:organisation_detail", lambda w: w.subjects["organisation"]),
    "api:address": ("subjects:address_detail", lambda w: w.subjects["address"]),
}
LISTS = {
    "api:signals": ("signals:detail", lambda w: w.signal, "results"),
    "api:measures": ("measures:detail", lambda w: w.measure, "results"),
    "api:actions": ("meetings:action_detail", lambda w: w.meeting_action, "results"),
}
# Not record-bound: decided by their own tests (test_actions_subjects, test_conventions).
OTHER = {
    "api:schema",
    "api:docs",
    "api:not_found",
    "api:signal_status",
    "api:subjects",
    "api:deadlines",
    "api:figures",
    "api:calculator",
    "api:processing_records",  # the processing log: privacy scope and access-log right (test_processing_log)
}


def test_every_api_url_is_in_the_matrix():
    names = _api_names()
    assert sorted(set(names) - set(DETAIL) - set(LISTS) - OTHER) == []


def _api_names():
    from django.urls import URLResolver, get_resolver

    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "api":
            return [f"api:{q.name}" for q in p.url_patterns if q.name]
    return []


@pytest.mark.django_db
def test_api_answers_as_the_web_policy_says():
    world = _build_world()
    admin = world.users["functional_admin"]
    apis = {}
    for role in ROLES:
        user = world.users[role]
        if user == admin:
            from tests.factories.core import UserFactory

            other_admin = UserFactory(
                username="m_admin2", role="Functioneel beheerder", org_unit=user.org_unit
            )
            creator = other_admin
        else:
            creator = admin
        _client, key = api_client_create(
            actor=creator, name=role, organisation=user.org_unit, user=user, scopes=list(Scope.values)
        )
        apis[role] = Api(key, **PURPOSE)
    failures = []
    for name, (web, record) in DETAIL.items():
        obj = record(world)
        url = reverse(name, kwargs={"pk": obj.pk})
        for role in ROLES:
            status = apis[role].get(url).status_code
            expected = 200 if role in POLICY[web].get else 404
            if status != expected:
                failures.append(f"GET {name} {role}: {status}, web policy says {expected}")
    for name, (web, record, key) in LISTS.items():
        obj = record(world)
        for role in ROLES:
            resp = apis[role].get(reverse(name))
            ids = {row["id"] for row in resp.json().get(key, [])} if resp.status_code == 200 else set()
            if (obj.pk in ids) != (role in POLICY[web].get):
                failures.append(
                    f"GET {name} {role}: listed={obj.pk in ids}, web policy says {role in POLICY[web].get}"
                )
    action = world.meeting_action
    for role in ROLES:
        status = (
            apis[role]
            .patch(reverse("api:action", kwargs={"pk": action.pk}), {"status": "in_progress"})
            .status_code
        )
        allowed = role in POLICY["meetings:action_detail"].post
        if allowed != (status == 200):
            failures.append(f"PATCH api:action {role}: {status}, web lets through: {allowed}")
        if status == 200:
            apis[role].patch(reverse("api:action", kwargs={"pk": action.pk}), {"status": "open"})
    assert failures == [], "\n".join(failures)
