"""Every URL × every role × GET/POST against the declared policy (see matrix.py). A refused role
gets 404 (never 403), and a refused lookup of a record writes one ``denied`` access-log row."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.security as security_pkg
from tests.security.matrix import ROLES, World
from vik.core.middleware import PUBLIC_URL_NAMES, RECORD_KWARGS, UNVERIFIED_URL_NAMES
from vik.core.models import AccessLog

# The API (namespace "api") authenticates with keys and tokens, not sessions: its URL × role
# matrix is tests/api/test_matrix.py.
SKIP_NAMESPACES = {"admin", "api"}


def _policy_modules():
    mods = []
    for info in pkgutil.iter_modules(security_pkg.__path__):
        if info.name.startswith("policy_"):
            mods.append(importlib.import_module(f"tests.security.{info.name}"))
    return mods


MODULES = _policy_modules()
POLICY = {}
for _m in MODULES:
    POLICY.update(_m.POLICY)


def _all_url_names(resolver=None, ns=""):
    resolver = resolver or get_resolver()
    names = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub = p.namespace or ""
            if sub in SKIP_NAMESPACES:
                continue
            names += _all_url_names(p, f"{ns}{sub}:" if sub else ns)
        elif isinstance(p, URLPattern) and p.name:
            names.append(f"{ns}{p.name}")
    return sorted(set(names))


def test_every_url_is_in_the_policy_table():
    exempt = PUBLIC_URL_NAMES | UNVERIFIED_URL_NAMES
    missing = [n for n in _all_url_names() if n not in POLICY and n not in exempt]
    assert missing == [], f"URLs without an authorization policy: {missing}"


def test_every_non_public_url_requires_a_verified_second_factor(client, make_user):
    """Guard: walks all URL patterns; a logged-in user without OTP gets sent to the second step."""
    user = make_user("analyst")
    client.force_login(user)  # password step only
    exempt = PUBLIC_URL_NAMES | UNVERIFIED_URL_NAMES
    world = None
    for name in _all_url_names():
        if name in exempt or name not in POLICY:
            continue
        if world is None:
            world = _build_world()
        rule = POLICY[name]
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        resp = client.get(url)
        assert resp.status_code == 302 and resp.url == reverse("core:otp_verify"), name


def _build_world():
    from tests.conftest import CLEARANCES, ROLE_KEYS
    from tests.factories.core import OrgUnitFactory, UserFactory
    from vik.core.constants import OrgKind, PartnerType

    team = OrgUnitFactory(code="veiligheid", kind=OrgKind.TEAM)
    bibob = OrgUnitFactory(code="bibob", kind=OrgKind.TEAM)
    police = OrgUnitFactory(code="politie", kind=OrgKind.PARTNER, partner_type=PartnerType.POLICE)
    users = {}
    for key, role in ROLE_KEYS.items():
        org = {"partner": police, "bibob": bibob}.get(key, team)
        users[key] = UserFactory(username=f"m_{key}", role=role, org_unit=org, clearances=CLEARANCES[key])
    world = World(users)
    world.team, world.bibob_team, world.police = team, bibob, police
    for mod in MODULES:
        mod.build(world)
    return world


def _client_for(user, rule):
    from django.test import Client

    from tests.conftest import verify_client

    client = verify_client(Client(), user)
    if rule.purpose:
        session = client.session
        session["vik_purpose"] = {
            "case_kind": "",
            "case_id": None,
            "reason": "matrix test reason",
            "label": "Reden: matrix",
        }
        session.save()
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICY))
def test_url_policy(name):
    world = _build_world()
    rule = POLICY[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    get_url = f"{url}?{rule.query}" if rule.query else url
    failures = []
    # A URL that names a record: each refusal of it must write exactly one ``denied`` row.
    names_a_record = any(k in RECORD_KWARGS for k in (rule.kwargs(world) if rule.kwargs else {}))
    for role in ROLES:
        user = world.users[role]
        client = _client_for(user, rule)
        denied = AccessLog.objects.filter(actor_id=user.pk, result="denied")
        before = denied.count()
        status = client.get(get_url).status_code
        if role in rule.get and status >= 400:
            failures.append(f"GET {role}: expected access, got {status}")
        # refusals answer 404, never 403 (docs/authorization.md); 405: no GET for anyone
        if role not in rule.get and status not in (404, 405):
            failures.append(f"GET {role}: expected 404, got {status}")
        if role not in rule.get and status == 404 and names_a_record and denied.count() != before + 1:
            failures.append(f"GET {role}: expected one denied row, got {denied.count() - before}")
        before = denied.count()
        pstatus = client.post(url, {}).status_code
        if role in rule.post and pstatus in (403, 404, 405):
            failures.append(f"POST {role}: expected to be let through, got {pstatus}")
        if role not in rule.post and pstatus not in (404, 405):
            failures.append(f"POST {role}: expected refusal (404), got {pstatus}")
        if role not in rule.post and pstatus == 404 and names_a_record and denied.count() != before + 1:
            failures.append(f"POST {role}: expected one denied row, got {denied.count() - before}")
    # anonymous and deactivated users: always sent to login, never content
    from django.test import Client

    anon = Client()
    for method in ("get", "post"):
        resp = getattr(anon, method)(url)
        if not (resp.status_code == 302 and "/inloggen/" in resp.url):
            failures.append(f"{method.upper()} anonymous: expected redirect to login, got {resp.status_code}")
    deactivated = world.users["analyst"]
    client = _client_for(deactivated, rule)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    resp = client.get(get_url)
    if not (resp.status_code == 302 and "/inloggen/" in resp.url):
        failures.append(f"GET deactivated: expected redirect to login, got {resp.status_code}")
    assert failures == [], f"{name}: " + "; ".join(failures)
