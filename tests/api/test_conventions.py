"""NL API Design Rules that a test can check: version in the path and header, no trailing
slash (404, never a redirect), problem+json, the public OpenAPI document with CORS and contact,
rate limits with 429 and Retry-After."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from django.core.cache import cache

from tests.api.conftest import Api, problem

pytestmark = pytest.mark.django_db
COMMITTED = Path(__file__).resolve().parents[2] / "api" / "openapi.json"


def test_openapi_is_public_with_cors_and_contact():
    resp = Api().get("/api/v1/openapi.json")
    assert resp.status_code == 200
    assert resp["Access-Control-Allow-Origin"] == "*" and resp["API-Version"] == "1.0.0"
    doc = resp.json()
    assert doc["openapi"].startswith("3.") and doc["info"]["version"] == "1.0.0"
    assert doc["info"]["contact"]["email"]
    for path in doc["paths"]:
        assert path.startswith("/api/v1/") and not path.endswith("/")


def test_published_schema_matches_the_committed_copy():
    """A breaking (or any) change to the API must be deliberate: regenerate api/openapi.json with
    `manage.py spectacular --format openapi-json --file api/openapi.json` and review the diff."""
    published = Api().get("/api/v1/openapi.json").json()
    assert published == json.loads(COMMITTED.read_text())


def test_trailing_slash_and_unknown_paths_are_404_problems(make_api, users):
    _c, api = make_api(users["analyst"])
    for path in ("/api/v1/signalen/", "/api/v1/bestaatniet", "/api/v2/signalen"):
        resp = api.get(path)
        assert resp.status_code == 404, path
        assert problem(resp) and resp["API-Version"] == "1.0.0"
    assert api.post("/api/v1/signalen/", {}).status_code == 404


def test_every_answer_carries_api_version_and_no_store(make_api, users):
    _c, api = make_api(users["analyst"])
    for resp in (api.get("signalen"), Api().get("signalen"), api.get("signalen/999999")):
        assert resp["API-Version"] == "1.0.0" and resp["Cache-Control"] == "no-store"


def test_rate_limit_answers_429_with_retry_after(make_api, users, settings):
    settings.API_RATE_PER_MINUTE = 3
    cache.clear()
    _c, api = make_api(users["analyst"])
    codes = [api.get("signalen").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    resp = api.get("signalen")
    assert resp.status_code == 429 and 1 <= int(resp["Retry-After"]) <= 60
    assert problem(resp)["title"] == "Te veel verzoeken"
    # another client has its own budget
    _c, other = make_api(users["chair"])
    assert other.get("signalen").status_code == 200


def test_browsable_docs_only_for_signed_in_staff(login, make_user):
    assert Api().get("/api/v1/docs").status_code == 404
    assert login(make_user("analyst")).get("/api/v1/docs").status_code == 404
    staff = login(make_user("functional_admin", is_staff=True)).get("/api/v1/docs")
    assert staff.status_code == 200 and b"swagger" in staff.content.lower()
