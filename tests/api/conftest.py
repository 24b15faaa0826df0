"""API fixtures: an API client (key) per role's account, made through the functional admin's
service, and a small JSON helper over Django's test client or real HTTP."""

from __future__ import annotations

import json

import pytest

from django.test import Client

from api.models import Scope
from api.services import api_client_create

ALL_SCOPES = list(Scope.values)


class Api:
    """Calls /api/v1 with an API key; ``raw`` bodies are sent as given."""

    def __init__(self, key: str = "", **headers):
        self.client = Client()
        self.headers = {"HTTP_X_API_KEY": key} if key else {}
        self.headers.update(headers)

    def _call(self, method, path, body=None, raw=None, content_type="application/json", **headers):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {**self.headers, **headers}
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = content_type
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, **headers):
        return self._call("get", path, **headers)

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._call("patch", path, body, **kw)


@pytest.fixture
def admin(make_user):
    return make_user("functional_admin", username="beheerder")


@pytest.fixture
def make_api(admin):
    def _make(user, *, scopes=None, deliver_team=None, deliver_source=None, oauth_client_id=""):
        client, key = api_client_create(
            actor=admin,
            name=f"Koppeling {user.username}",
            organisation=user.org_unit,
            user=user,
            scopes=ALL_SCOPES if scopes is None else scopes,
            deliver_team=deliver_team,
            deliver_source=deliver_source,
            oauth_client_id=oauth_client_id,
        )
        return client, Api(key)

    return _make


def problem(resp) -> dict:
    assert resp["Content-Type"] == "application/problem+json", resp.content
    body = resp.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == resp.status_code
    return body
