"""The load test's own arithmetic (the run itself is `python -m bench.load`, not part of the suite)."""

from __future__ import annotations

import json

from bench.load import short_pools, summarise

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
    assert short_pools(accounts, 50) == {"chair": (10, 5)}


def test_a_labelled_run_is_compared_with_the_same_variant_only(tmp_path, monkeypatch):
    from bench import run

    monkeypatch.setattr(run, "RESULTS", tmp_path)
    (tmp_path / "2026-11-29-M.json").write_text(json.dumps({"date": "plain"}))
    (tmp_path / "2026-11-29-M-log1maand.json").write_text(json.dumps({"date": "variant"}))
    assert run.previous_result("M")["date"] == "plain"
    assert run.previous_result("M", "log1maand")["date"] == "variant"
    assert run.previous_result("S") is None
