"""The read replica against a real PostgreSQL primary + streaming replica (tests/pgpair.py).

Django's ``default`` alias points at the pair's primary and a ``replica`` alias at its replica for
this module; the tests commit for real (no test transaction: a read inside one would always stay
on the primary), and the pair is thrown away afterwards. They prove what the router promises
(vik/core/db_router.py): dashboards read from the replica, a user who just wrote reads from the
primary, a replica that lags or is down is skipped without an error, and the access log is
written on the primary.

All tests share one pair and pause or stop its replica, so under pytest-xdist they run in one
group on one worker (``make test`` passes ``--dist loadgroup``).
"""

from __future__ import annotations

import itertools
import logging
import time
from datetime import timedelta

import pytest

from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import CLEARANCES, ROLE_KEYS, verify_client
from tests.factories.core import OrgUnitFactory, UserFactory
from tests.factories.signals import make_signal
from tests.pgpair import PgPair, server_bindir
from vik.core import db_router, health
from vik.core.constants import OrgKind
from vik.core.db_router import PRIMARY, REPLICA, read_alias, replica_state, using_replica

pytestmark = pytest.mark.xdist_group("replica")

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_pair(django_db_setup, django_db_blocker):
    bindir = server_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin to start a replica")
    pair = PgPair(bindir)
    try:
        with django_db_blocker.unblock():
            pair.start(copy_of=dict(connections[PRIMARY].settings_dict))
    except BaseException:
        pair.stop()
        raise
    yield pair
    pair.stop()


@pytest.fixture(scope="module")
def on_pair(pg_pair, django_db_blocker):
    """``default`` on the pair's primary, ``replica`` on its replica, for this module only."""
    default = connections[PRIMARY]
    saved = {key: default.settings_dict[key] for key in ("HOST", "PORT", "NAME", "USER", "PASSWORD")}
    with django_db_blocker.unblock():
        default.close()
        default.settings_dict.update(pg_pair.database_settings(pg_pair.primary_port))
        connections.settings[REPLICA] = {
            **default.settings_dict,
            **pg_pair.database_settings(pg_pair.replica_port),
            "OPTIONS": {"connect_timeout": 2},
        }
        db_router.forget_state()
        try:
            yield pg_pair
        finally:
            for alias in (REPLICA, PRIMARY):
                connections[alias].close()
            try:
                del connections[REPLICA]
            except AttributeError:
                pass
            del connections.settings[REPLICA]
            default.settings_dict.update(saved)
            db_router.forget_state()


@pytest.fixture
def pair(on_pair, django_db_blocker, settings, monkeypatch):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 60  # a busy test machine must not look like lag
    settings.DATABASE_REPLICA_CHECK_SECONDS = 5
    monkeypatch.setattr(health, "HEARTBEAT_KEY", f"vik:test-heartbeat:replica:{next(_names)}")
    with django_db_blocker.unblock():
        db_router.forget_state()
        yield on_pair
        if not on_pair.replica_running:
            on_pair.start_replica()
        on_pair.resume_replay()
        db_router.forget_state()


@pytest.fixture
def pair_team(pair):
    return OrgUnitFactory(code=f"veiligheid{next(_names)}", name="Team Veiligheid", kind=OrgKind.TEAM)


def analyst(team):
    return UserFactory(
        role=ROLE_KEYS["analyst"],
        org_unit=team,
        clearances=CLEARANCES["analyst"],
        username=f"analist{next(_names)}",
    )


def signals_page(client) -> str:
    resp = client.get(reverse("signals:list"))
    assert resp.status_code == 200
    return resp.content.decode()


@pytest.mark.django_db  # (also makes pytest-django create the test database the pair copies)
def test_without_a_replica_every_read_is_on_the_primary(login, make_user):
    client = login(make_user("analyst"))
    with using_replica():
        assert read_alias() == PRIMARY
    resp = client.post(reverse("core:purpose"), {"reason": "Onderzoek naar signalen ondermijning"})
    assert resp.status_code in (200, 302) and db_router.PIN_COOKIE not in resp.cookies
    assert "replica" not in client.get("/healthz").json()


def test_dashboard_reads_run_on_the_replica(pair, pair_team):
    user = analyst(pair_team)
    make_signal(user, summary="Signaal voor het dashboard")
    pair.wait_replayed()
    client = verify_client(pair_client(), user)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
    ):
        resp = client.get(reverse("dashboards:overview"))
    assert resp.status_code == 200
    assert any("signals_signal" in q["sql"] for q in on_replica.captured_queries)
    assert not [q["sql"][:300] for q in on_primary.captured_queries if "signals_signal" in q["sql"]]
    # every other opted-in dashboard page, raw-SQL figures included (a raw cursor bypasses the router)
    for name in ("dashboards:panel_measures", "dashboards:map", "dashboards:analysis"):
        with CaptureQueriesContext(connections[PRIMARY]) as on_primary:
            assert client.get(reverse(name)).status_code == 200, name
        on_primary_sql = [q["sql"][:300] for q in on_primary.captured_queries if "signals_signal" in q["sql"]]
        assert not on_primary_sql, name
    with connections[REPLICA].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0] is True  # the connection the figures came from is the standby
    # a page that is not opted in reads from the primary
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(reverse("core:home")).status_code == 200
    assert not on_replica.captured_queries


def test_a_row_not_yet_replayed_is_missing_only_from_replica_pages(pair, pair_team):
    user = analyst(pair_team)
    make_signal(user, summary="Al op de replica")
    pair.wait_replayed()
    client = verify_client(pair_client(), user)
    pair.pause_replay()
    make_signal(user, summary="Alleen op de primary")
    pair.wait_received()
    html = signals_page(client)
    assert "Al op de replica" in html and "Alleen op de primary" not in html
    # outside an opted-in view, and inside a transaction, reads stay on the primary
    assert read_alias() == PRIMARY
    with using_replica():
        assert read_alias() == REPLICA
        with transaction.atomic():
            assert read_alias() == PRIMARY


def test_a_user_who_just_wrote_reads_from_the_primary(pair, pair_team):
    from signals.models import Phenomenon, SignalSource

    writer, colleague = analyst(pair_team), analyst(pair_team)
    writer_client = verify_client(pair_client(), writer)
    colleague_client = verify_client(pair_client(), colleague)
    pair.pause_replay()
    resp = writer_client.post(
        reverse("signals:create"),
        {
            "source": SignalSource.objects.get(code="intern").pk,
            "received_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "phenomena": [Phenomenon.objects.get(code="hennep").pk],
            "summary": "Net ingevoerd door de schrijver",
            "narrative": "Sterke geur bij de schuur",
            "reliability_source": "B",
            "reliability_information": "2",
            "legal_regime": "AVG",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert db_router.PIN_COOKIE in writer_client.cookies
    pair.wait_received()
    # the writer sees the new signal at once (primary); the colleague reads the replica
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert "Net ingevoerd door de schrijver" in signals_page(writer_client)
    assert not on_replica.captured_queries
    assert "Net ingevoerd door de schrijver" not in signals_page(colleague_client)
    # a home-made marker without the signature pins nobody
    colleague_client.cookies[db_router.PIN_COOKIE] = str(time.time())
    assert "Net ingevoerd door de schrijver" not in signals_page(colleague_client)
    pair.resume_replay()
    assert "Net ingevoerd door de schrijver" in signals_page(colleague_client)


def test_a_lagging_replica_is_skipped(pair, pair_team, settings, client):
    user = analyst(pair_team)
    page_client = verify_client(pair_client(), user)
    assert replica_state().state == db_router.STATE_UP
    pair.pause_replay()
    make_signal(user, summary="Achterstand op de replica")
    pair.wait_received()
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0
    db_router.forget_state()
    assert "Achterstand op de replica" in signals_page(page_client)
    health.heartbeat_record()
    resp = client.get("/healthz")
    body = resp.json()
    assert resp.status_code == 200 and body["status"] == "degraded"
    assert body["replica"]["ok"] is False and body["replica"]["state"] == "lagging"
    assert body["database"]["ok"] is True


def test_a_replica_that_goes_down_costs_no_error(pair, pair_team, client, caplog):
    user = analyst(pair_team)
    make_signal(user, summary="Gezien ondanks uitval")
    pair.wait_replayed()
    page_client = verify_client(pair_client(), user)
    assert "Gezien ondanks uitval" in signals_page(page_client)  # from the replica, state cached "up"
    pair.stop_replica()
    caplog.set_level(logging.WARNING, logger="vik.core.db_router")
    # the cached state still says "up": the query on the dead replica fails and the page is
    # served again from the primary
    assert "Gezien ondanks uitval" in signals_page(page_client)
    assert replica_state().state == db_router.STATE_DOWN
    assert page_client.get(reverse("dashboards:overview")).status_code == 200
    health.heartbeat_record()
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["status"] == "degraded" and resp.json()["replica"]["state"] == "down"
    down_messages = [r for r in caplog.records if "down" in r.getMessage()]
    assert len(down_messages) == 1  # logged once, not per request
    pair.start_replica()
    db_router.forget_state()
    assert replica_state().state == db_router.STATE_UP


def test_the_access_log_is_written_on_the_primary(pair, pair_team):
    user = analyst(pair_team)
    make_signal(user, summary="Hennepkwekerij in schuur", codes=("hennep",))
    pair.wait_replayed()
    client = verify_client(pair_client(), user)
    count = "SELECT count(*) FROM core_accesslog WHERE actor_id = %s AND action = 'search'"
    pair.pause_replay()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        resp = client.get(reverse("signals:list"), {"q": "hennep"})
    assert resp.status_code == 200 and "Hennepkwekerij in schuur" in resp.content.decode()
    assert any("signals_signal" in q["sql"] for q in on_replica.captured_queries)  # read: replica
    pair.wait_received()
    assert pair.query(pair.primary_port, count, [user.pk]) == [(1,)]  # logged: primary
    assert pair.query(pair.replica_port, count, [user.pk]) == [(0,)]
    pair.resume_replay()
    assert pair.query(pair.replica_port, count, [user.pk]) == [(1,)]


def pair_client():
    from django.test import Client

    return Client()


def test_a_pin_shorter_than_the_lag_bound_is_warned(settings):
    from vik.core.checks import replica_pin_covers_lag

    assert replica_pin_covers_lag() == []
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    assert [w.id for w in replica_pin_covers_lag()] == ["vik.W010"]


def _view_names(patterns, prefix: str = "") -> set[str]:
    from django.urls import URLPattern, URLResolver

    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= _view_names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_view_opted_in_to_the_replica_exists(settings):
    """A renamed or moved view silently falls back to the primary: its old name in
    DATABASE_REPLICA_VIEWS would match nothing."""
    from django.urls import get_resolver

    names = _view_names(get_resolver().url_patterns)
    assert "core:who_viewed" in names and "signals:list" in names
    assert set(settings.DATABASE_REPLICA_VIEWS) <= names, set(settings.DATABASE_REPLICA_VIEWS) - names
