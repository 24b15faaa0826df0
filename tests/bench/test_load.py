"""The load test's own arithmetic (the run itself is `python -m bench.load`, not part of the suite)."""

from __future__ import annotations

import io
import json

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command

from bench.dataset import (
    BENCH_API_CLIENT,
    BENCH_API_CLIENTS,
    BENCH_USERS_PER_ROLE,
    LEAK_MARKERS,
    MARKERS_PER_KIND,
)
from bench.load import markdown, short_pools, summarise
from vik.core.constants import ROLE_CHAIR

HEADER = "Type,Name,Request Count,Failure Count,50%,95%\n"


def test_summary_reports_errors_leaks_and_the_p95_of_pages_without_login(tmp_path):
    prefix = tmp_path / "locust"
    (tmp_path / "locust_stats.csv").write_text(
        HEADER
        + "GET,signal list,100,0,40,90\n"
        + "GET,login,10,0,10,20\n"
        + "POST,login,10,0,300,900\n"
        + ",Aggregated,110,1,45,400\n"
    )
    leaks = tmp_path / "leaks.json"
    leaks.write_text(json.dumps(["analyst saw VIKLEAKBIBOB on /x/"]))
    # 100 page times 1..100 ms: the p95 is 96 ms (index 95 of the sorted list)
    (tmp_path / "pages.json").write_text(json.dumps(list(range(100, 0, -1))))
    result = summarise(str(prefix), str(leaks))
    assert result["requests"] == 110 and result["failures"] == 1 and result["error_rate"] == round(1 / 110, 4)
    assert result["p95_ms"] == 400.0 and result["p95_pages_ms"] == 96.0
    assert result["pages"]["signal list"] == {"p50": 40.0, "p95": 90.0, "requests": 100, "failures": 0}
    assert result["leaks"] == ["analyst saw VIKLEAKBIBOB on /x/"]
    # the same name with two methods (the login form and its POST) stays two rows
    assert result["pages"]["login (POST)"]["p95"] == 900.0 and result["pages"]["login (GET)"]["p95"] == 20.0


def test_too_few_accounts_for_the_users_locust_gives_a_role_are_named():
    accounts = {"analyst": [["a", "k"]] * 30, "chair": [["c", "k"]] * 5, "bibob": [["b", "k"]] * 40}
    # 50 users at 3:1:1 -> 30 analysts, 10 chairs, 10 Bibob users
    assert short_pools(accounts, 50, {"analyst": 3, "chair": 1, "bibob": 1}) == {"chair": (10, 5)}
    # the API users share the machine client: they never make a pool short
    assert short_pools(accounts, 50, {"analyst": 3, "chair": 1, "bibob": 1, "api": 50}) == {}


def test_the_dataset_has_accounts_for_100_and_150_users_and_the_old_pool_is_refused():
    # account 01 of each role is bench.run's; the load test gets the rest
    pool = {role: [["u", "k"]] * (BENCH_USERS_PER_ROLE - 1) for role in ("analyst", "chair", "bibob")}
    for users in (100, 150):
        assert short_pools(pool, users) == {}
        assert short_pools(pool, users, {"analyst": 3, "chair": 1, "bibob": 1}) == {}
    old = {role: [["u", "k"]] * 39 for role in ("analyst", "chair", "bibob")}
    # 100 users at 3:1:1:1 -> 50 analysts, 17 chairs, 17 Bibob users
    assert short_pools(old, 100) == {"analyst": (50, 39)}


def test_summary_reports_requests_per_second_per_core_and_the_failures(tmp_path):
    (tmp_path / "locust_stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,50%,95%,Requests/s\n"
        "GET,api signalen,90,2,40,90,1.5\n"
        ",Aggregated,90,2,40,90,30.5\n"
    )
    (tmp_path / "locust_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nGET,api signalen,HTTP 500,2\nGET,api persoon,LEAK VIKLEAKMMA,1\n"
    )
    result = summarise(str(tmp_path / "locust"), str(tmp_path / "leaks.json"), cpus=2)
    assert result["rps"] == 30.5 and result["cpus"] == 2 and result["rps_per_core"] == 15.25
    assert result["errors"][0] == {
        "method": "GET",
        "name": "api signalen",
        "error": "HTTP 500",
        "occurrences": 2,
    }
    result.update(
        users=100,
        minutes=3,
        spawn_rate=2,
        scale="M",
        weights={"analyst": 3, "api": 1},
        gunicorn={"workers": 4, "threads": 4, "worker_class": "gthread"},
        think="office",
        think_seconds={"human": [5, 15], "api": [2, 6]},
    )
    md = markdown(result)
    assert "denktijd (office): mensen [5, 15] s, partnersystemen [2, 6] s" in md
    assert "4 workers × 4 threads (gthread), 2 cores" in md
    assert "30.5 verzoeken/s, 15.2 per core" in md
    assert "| api signalen | 90 | 2 | 40 | 90 |" in md
    assert "2× GET api signalen: HTTP 500" in md


def test_gunicorn_runs_gthread_workers_when_given_threads():
    from bench.run import Gunicorn

    assert Gunicorn(8000, 4, 4).config() == {"workers": 4, "threads": 4, "worker_class": "gthread"}
    assert Gunicorn(8000, 3).config() == {"workers": 3, "threads": 1, "worker_class": "sync"}


def test_a_labelled_run_is_compared_with_the_same_variant_only(tmp_path, monkeypatch):
    from bench import run

    monkeypatch.setattr(run, "RESULTS", tmp_path)
    (tmp_path / "2026-11-29-M.json").write_text(json.dumps({"date": "plain"}))
    (tmp_path / "2026-11-29-M-log1maand.json").write_text(json.dumps({"date": "variant"}))
    assert run.previous_result("M")["date"] == "plain"
    assert run.previous_result("M", "log1maand")["date"] == "variant"
    assert run.previous_result("S") is None


# --- the plan on a generated dataset (XS) -----------------------------------------------------------


@pytest.fixture
def xs(db):
    call_command("generate_dataset", scale="XS", no_progress=True, stdout=io.StringIO())


def test_the_plan_hands_locust_the_api_client_and_the_registry_pages(xs, client):
    from django.urls import resolve

    from api.models import ApiClient
    from api.services import client_for_key, key_hash
    from bench.load import WEIGHTS, build_plan
    from registries.views import RegistryFetchView

    plan = build_plan("XS")
    assert plan["weights"] == WEIGHTS
    assert {role: len(plan["accounts"][role]) for role in ("analyst", "chair", "bibob")} == dict.fromkeys(
        ("analyst", "chair", "bibob"), BENCH_USERS_PER_ROLE - 1
    )
    assert short_pools(plan["accounts"], 100) == {} and short_pools(plan["accounts"], 150) == {}
    assert set(plan["forbidden"]["api"]) == set(LEAK_MARKERS)

    # the partner systems: one key each (each its own rate limit), enough for the API users of a
    # 100-user run; each key authenticates its own client and only the key's hash is stored
    keys = plan["api"]["keys"]
    assert len(keys) == len(set(keys)) == BENCH_API_CLIENTS
    assert BENCH_API_CLIENTS >= -(-100 * WEIGHTS["api"] // sum(WEIGHTS.values()))
    assert len({client_for_key(k).pk for k in keys}) == BENCH_API_CLIENTS
    key = keys[0]
    api_client = client_for_key(key)
    assert api_client is not None and api_client.name == BENCH_API_CLIENT
    assert api_client.key_hash == key_hash(key) and not ApiClient.objects.filter(key_hash=key).exists()
    assert set(api_client.scopes) == {"signalen.lezen", "subjecten.lezen", "maatregelen.lezen"}

    headers = {"HTTP_AUTHORIZATION": f"ApiKey {key}", "HTTP_X_VIK_DOEL": plan["api"]["purpose"]}
    urls = plan["api"]["urls"]
    assert urls["signals"] and urls["subjects"] and urls["person"] and urls["measures"] and urls["deadlines"]
    for group in ("signals", "subjects", "measures", "deadlines"):
        for path in urls[group]:
            r = client.get(path, **headers)
            assert r.status_code == 200, (path, r.content[:300])
            assert not [m for m in LEAK_MARKERS if m.encode() in r.content], path
    assert client.get(urls["person"][0], **headers).status_code == 200
    # persons carrying a marker are outside the client's scope: 404, never their data
    assert len(urls["person_hidden"]) == 3 * MARKERS_PER_KIND
    for path in urls["person_hidden"]:
        r = client.get(path, **headers)
        assert r.status_code == 404 and b"VIKLEAK" not in r.content, path
    # a marker search finds them for a client that may see them (the check can fail)
    ApiClient.objects.filter(pk=api_client.pk).update(user=_user_with_all_clearances())
    r = client.get(urls["subjects"][-1], **headers)
    assert r.status_code == 200 and b"VIKLEAK" in r.content

    # the analyst's registry lookups go through VIK's own "Ophalen uit BRP/BAG" pages
    reg = plan["registry"]
    assert resolve(reg["brp_form"]).func.view_class is RegistryFetchView
    assert resolve(reg["brp_form"]).func.view_initkwargs["kind"] == "person"
    assert resolve(reg["bag_form"]).func.view_initkwargs["kind"] == "address"
    assert ["999993653", "Jansen"] in reg["brp"]
    assert ["7609RG", 1, "", "Twentepoort Oost"] in reg["bag"]


def _user_with_all_clearances():
    from bench.dataset import BENCH_API_USER
    from vik.core.models import User

    user = User.objects.get(username=BENCH_API_USER)
    user.clearances = ["general", "police", "mma", "bibob"]
    user.groups.add(Group.objects.get(name=ROLE_CHAIR))  # core.view_all_teams: every team
    user.save(update_fields=["clearances"])
    return user


def test_a_dataset_made_before_the_api_client_and_the_larger_pool_gets_both_on_its_next_run(xs):
    from django.db import connection

    from api.models import ApiClient
    from bench.dataset import read_marker

    # the shape of a dataset made before the apiclient step, with 40 accounts per role
    info = read_marker()["info"]
    info["users"] = {role: rows[:40] for role, rows in info["users"].items()}
    info.pop("api")
    ApiClient.objects.all().delete()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE bench_dataset SET steps = steps - 'apiclient', info = %s::jsonb WHERE id = 1",
            [json.dumps(info)],
        )
        cur.execute("SELECT count(*) FROM signals_signal")
        signals = cur.fetchone()[0]
    out = io.StringIO()
    call_command("generate_dataset", scale="XS", no_progress=True, stdout=out)
    assert "aanvullen met: apiclient" in out.getvalue()
    marker = read_marker()
    assert {
        role: len(rows) for role, rows in marker["info"]["users"].items() if role != "privacy"
    } == dict.fromkeys(("analyst", "chair", "bibob"), BENCH_USERS_PER_ROLE)
    assert ApiClient.objects.filter(name=BENCH_API_CLIENT).count() == 1
    assert ApiClient.objects.count() == BENCH_API_CLIENTS
    assert marker["info"]["api"]["user"][1] == "bench_api_koppeling"
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM signals_signal")
        assert cur.fetchone()[0] == signals  # nothing else made twice


def test_a_dataset_made_with_one_partner_system_gets_the_others_on_its_next_run(xs):
    """One key shared by all API users trips its rate limit (429): a dataset made when the load
    test had one API client gets the other partner systems, and nothing else is made again."""
    from django.db import connection

    from api.models import ApiClient
    from bench.dataset import read_marker

    info = read_marker()["info"]
    first = info["api"]["client"]
    info["api"].pop("clients")
    ApiClient.objects.exclude(pk=first).delete()
    with connection.cursor() as cur:
        cur.execute("UPDATE bench_dataset SET info = %s::jsonb WHERE id = 1", [json.dumps(info)])
        cur.execute("SELECT count(*) FROM subjects_person")
        persons = cur.fetchone()[0]
    out = io.StringIO()
    call_command("generate_dataset", scale="XS", no_progress=True, stdout=out)
    assert "API-koppelingen aangevuld" in out.getvalue()
    clients = read_marker()["info"]["api"]["clients"]
    assert len(clients) == ApiClient.objects.count() == BENCH_API_CLIENTS and clients[0] == first
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM subjects_person")
        assert cur.fetchone()[0] == persons
