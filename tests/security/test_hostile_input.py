"""Hostile input never answers 5xx (issue #15 items 9, #17 item 9): every URL pattern from the
resolver, with hostile values for each path converter and for each query parameter the view
reads. Out-of-range ids (>= 2**63) and NUL bytes answer 404/400 and a signed-in user's refused
lookup is logged as ``denied`` without a database error."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.datastructures import MultiValueDict

from tests.factories.subjects import PersonFactory
from tests.security.test_url_matrix import POLICY, SKIP_NAMESPACES, _build_world, _client_for
from vik.core.middleware import PUBLIC_URL_NAMES, UNVERIFIED_URL_NAMES
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
HOSTILE_INT = [HUGE, str(2**63), "0"]
HOSTILE_TEXT = ["a\x00b", "'\"<x>%", "é💥", "a" * 3000]
HOSTILE_QUERY = ["x\x00", HUGE, "-1", "'\"<x>%", "2026-13-45", "a" * 3000, "NaN"]


def _patterns(resolver=None, ns=""):
    """(view name, {kwarg: converter class name}) for every named URL pattern."""
    resolver = resolver or get_resolver()
    out = []
    for p in resolver.url_patterns:
        converters = dict(getattr(p.pattern, "converters", {}))
        if isinstance(p, URLResolver):
            sub = p.namespace or ""
            if sub in SKIP_NAMESPACES:
                continue
            for name, conv in _patterns(p, f"{ns}{sub}:" if sub else ns):
                out.append((name, {**converters, **conv}))
        elif isinstance(p, URLPattern) and p.name:
            out.append((f"{ns}{p.name}", {k: type(c).__name__ for k, c in converters.items()}))
    return out


def _roles_for(name: str) -> list[str]:
    """One role that may open the URL and one that may not (both paths must hold)."""
    rule = POLICY[name]
    allowed = sorted(rule.get) or sorted(rule.post)
    refused = [r for r in ("partner", "privacy_officer", "analyst") if r not in rule.get]
    return (allowed[:1] + refused[:1]) or ["analyst"]


def test_out_of_range_id_answers_404_and_is_logged_denied(login, with_purpose, make_user):
    analyst = make_user("analyst")
    client = with_purpose(login(analyst))
    resp = client.get(f"/subjecten/persoon/{HUGE}/")
    assert resp.status_code == 404
    row = AccessLog.objects.get(actor_id=analyst.pk)
    assert (row.action, row.result, row.ref_id) == ("denied", "denied", None)
    assert HUGE[:20] in row.detail


@pytest.mark.parametrize("role", ["analyst", "partner", "privacy_officer"])
def test_out_of_range_id_on_every_record_kind(role, login, with_purpose, make_user):
    user = make_user(role)
    client = with_purpose(login(user))
    for url in (
        f"/maatregelen/{HUGE}/",
        f"/bibob/{HUGE}/",
        f"/signalen/controles/{HUGE}/",
        f"/signalen/{HUGE}/",
        f"/casustafel/{HUGE}/",
        f"/subjecten/adres/{HUGE}/",
    ):
        assert client.get(url).status_code == 404, url
    assert AccessLog.objects.filter(actor_id=user.pk, result="denied").count() == 6


def test_nul_byte_in_a_path_parameter_answers_404(login, make_user):
    analyst = make_user("analyst")
    resp = login(analyst).get("/analyse/kaart/buurt/%00/")
    assert resp.status_code == 404
    assert AccessLog.objects.filter(actor_id=analyst.pk, result="denied").count() == 1


def test_nul_byte_in_a_query_parameter_answers_400(login, with_purpose, make_user):
    analyst = make_user("analyst")
    resp = with_purpose(login(analyst)).get("/subjecten/", {"q": "Jan\x00sen"})
    assert resp.status_code == 400
    assert "Ongeldig verzoek" in resp.content.decode()


def test_nul_byte_for_an_anonymous_user_writes_no_row():
    resp = Client().get("/subjecten/persoon/%00/")
    assert resp.status_code == 404
    assert AccessLog.objects.count() == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pk=st.integers(min_value=2**63, max_value=2**200))
def test_any_id_out_of_range_is_a_logged_404(pk, login, with_purpose, make_user):
    user = make_user("analyst")
    client = with_purpose(login(user))
    PersonFactory()
    resp = client.get(f"/subjecten/persoon/{pk}/")
    assert resp.status_code == 404
    assert AccessLog.objects.filter(actor_id=user.pk, result="denied").count() == 1


# --- the walk over every URL pattern ----------------------------------------------------------


@contextmanager
def _recording_query_keys():
    """Record every query-parameter name a view reads (forms read through ``get``/``getlist``)."""
    seen: set[str] = set()
    originals = {
        name: getattr(MultiValueDict, name) for name in ("__getitem__", "get", "getlist", "__contains__")
    }

    def wrap(name):
        original = originals[name]

        def recorder(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return recorder

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    try:
        yield seen
    finally:
        for name in originals:
            if name in QueryDict.__dict__:
                delattr(QueryDict, name)


def _hostile_paths(name, converters, world):
    rule = POLICY[name]
    good = rule.kwargs(world) if rule.kwargs else {}
    for key, conv in converters.items():
        values = HOSTILE_INT if conv == "IntConverter" else HOSTILE_TEXT
        for value in values:
            try:
                yield reverse(name, kwargs={**good, key: value})
            except NoReverseMatch:  # the converter refuses the value: the URL cannot be asked for
                continue


def test_every_url_converter_and_query_parameter_survives_hostile_values():
    """Walks the resolver: every named pattern (except the admin) with hostile values for each
    path converter, as a role that may open it and one that may not, then every query parameter
    the view reads with hostile values. No answer may be a 5xx."""
    world = _build_world()
    exempt = PUBLIC_URL_NAMES | UNVERIFIED_URL_NAMES
    failures = []
    patterns = [(n, c) for n, c in _patterns() if n not in exempt]
    assert len(patterns) > 100
    unknown = [n for n, _ in patterns if n not in POLICY]
    assert unknown == [], f"URLs without a policy entry: {unknown}"
    clients = {}

    def client(role, name):
        key = (role, POLICY[name].purpose)
        if key not in clients:
            clients[key] = _client_for(world.users[role], POLICY[name])
        return clients[key]

    for name, converters in patterns:
        for role in _roles_for(name):
            for url in _hostile_paths(name, converters, world):
                status = client(role, name).get(url).status_code
                if status >= 500:
                    failures.append(f"{name} {role} GET {url[:80]!r}: {status}")
        rule = POLICY[name]
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        role = (sorted(rule.get) or ["analyst"])[0]
        with _recording_query_keys() as keys:
            client(role, name).get(url, {"zz": "1"})
        for key in sorted(keys - {"zz"}):
            for value in HOSTILE_QUERY:
                status = client(role, name).get(url, {key: value}).status_code
                if status >= 500:
                    failures.append(f"{name} {role} GET ?{key}={value[:20]!r}: {status}")
    # the public pages, anonymously
    path_params = dict(_patterns())
    for name in sorted(PUBLIC_URL_NAMES - {"healthz"}):  # healthz: its documented 503 when a service is down
        # a public page with path parameters (the password-reset link) gets a well-formed dummy
        url = reverse(name, kwargs={key: "x" for key in path_params.get(name, {})} or None)
        for value in HOSTILE_QUERY:
            status = Client().get(url, {"next": value}).status_code
            if status >= 500:
                failures.append(f"{name} anonymous ?next={value[:20]!r}: {status}")
    assert failures == [], "\n".join(failures)
