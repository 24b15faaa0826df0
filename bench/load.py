"""``python -m bench.load --users 50 --minutes 3 [--scale S]``: the load test (issue #11 item 4).

Starts gunicorn on loopback (bench settings, as bench.run does), writes a plan for the locust
process (bench accounts with their TOTP keys, the URLs of each journey, the forbidden leak
markers per role), runs locust headless in its own process, and reports p95, the error rate
and the number of responses that contained a record the user may not see. Exits 1 when there
were errors or leaks. Installs locust (the ``bench`` extra of pyproject.toml) when missing.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_locust() -> None:
    if importlib.util.find_spec("locust") is None:
        print("bench.load: locust ontbreekt; pip install -e '.[bench]'", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "-e", f"{ROOT}[bench]"])


def build_plan(scale: str) -> dict:
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    from bench.dataset import FORBIDDEN_MARKERS, bench_password, bench_totp_key, read_marker
    from bench.run import make_ctx

    marker = read_marker()
    info = marker["info"]
    accounts = {
        role: [[u[1], bench_totp_key(u[1])] for u in info["users"][role][1:]]  # account 01 is bench.run's
        for role in ("analyst", "chair", "bibob")
    }
    ctx = make_ctx(scale, info["users"]["analyst"][1][1], info)

    def url(name: str, query: dict | None = None, **kwargs) -> list[str]:
        try:
            base = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return []
        return [base + ("?" + urllib.parse.urlencode(query) if query else "")]

    urls: dict[str, list[str]] = {
        "signal_list": [],
        "typeahead": [],
        "person_detail_analyst": [],
        "bibob_detail": [],
    }
    urls["signal_list"] += url("signals:list")
    for status in ("RECEIVED", "TRIAGE", "CASUSTAFEL_AGENDA"):
        urls["signal_list"] += url("signals:list", {"status": status})
    for name in ["jansen", "van der berg", *[s.lower() for s in ctx.surnames[:20]]]:
        urls["typeahead"] += url("subjects:typeahead", {"q": name})
    for pk in ctx.persons[:100]:
        urls["person_detail_analyst"] += url("subjects:person_detail", pk=pk)
    urls["dashboard"] = url("dashboards:overview")
    urls["meeting_list"] = url("meetings:list")
    urls["bibob_list"] = url("bibob:list")
    b = info.get("bibob")
    if b:
        for pk in range(b["start"], b["start"] + min(b["count"], 100)):
            urls["bibob_detail"] += url("bibob:detail", pk=pk)
    connection.close()
    return {"password": bench_password(), "accounts": accounts, "urls": urls, "forbidden": FORBIDDEN_MARKERS}


#: locustfile weights (Analyst 3 : Chair 1 : Bibob 1)
WEIGHTS = {"analyst": 3, "chair": 1, "bibob": 1}


def short_pools(accounts: dict[str, list], users: int) -> dict[str, tuple[int, int]]:
    """Roles whose account pool is smaller than the number of locust users locust gives them
    (rounded up, as locust may), as role -> (needed, available)."""
    total = sum(WEIGHTS.values())
    need = {role: -(-users * w // total) for role, w in WEIGHTS.items()}
    return {r: (need[r], len(accounts.get(r, []))) for r in WEIGHTS if len(accounts.get(r, [])) < need[r]}


def _p95_file(path: str) -> float:
    """p95 of the journey pages' response times, written by the locustfile (login steps and the
    purpose POST left out: they are the start of a session, not the pages a user works in)."""
    try:
        times = sorted(json.loads(Path(path).read_text()))
    except (OSError, ValueError):
        return 0.0
    return float(times[min(len(times) - 1, int(0.95 * len(times)))]) if times else 0.0


def summarise(prefix: str, leaks_file: str) -> dict:
    with open(f"{prefix}_stats.csv") as fh:
        rows = list(csv.DictReader(fh))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests_ = int(total["Request Count"])
    failures = int(total["Failure Count"])
    leaks = json.loads(Path(leaks_file).read_text()) if Path(leaks_file).exists() else []
    names = [r["Name"] for r in rows]
    per_page = {
        (f"{r['Name']} ({r['Type']})" if names.count(r["Name"]) > 1 else r["Name"]): {
            "p50": float(r["50%"] or 0),
            "p95": float(r["95%"] or 0),
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
        }
        for r in rows
        if r["Name"] != "Aggregated"
    }
    return {
        "p95_pages_ms": _p95_file(leaks_file.replace("leaks.json", "pages.json")),
        "requests": requests_,
        "failures": failures,
        "error_rate": round(failures / requests_, 4) if requests_ else None,
        "p95_ms": float(total["95%"] or 0),
        "leaks": leaks,
        "pages": per_page,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--scale", type=str.upper, default="S", choices=["XS", "S", "M"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("VIK_BENCH_PORT", "8766")))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2.0,
        help="users started per second (each logs in once: PBKDF2 costs about 0.3 s of CPU)",
    )
    args = parser.parse_args(argv)
    ensure_locust()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["VIK_BENCH"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from bench.run import Gunicorn

    call_command("generate_dataset", scale=args.scale, no_progress=True)
    work = Path(tempfile.mkdtemp(prefix="vik-load-"))
    plan_file = work / "plan.json"
    plan = build_plan(args.scale)
    short = short_pools(plan["accounts"], args.users)
    if short:
        # Two locust users on one account: the second login hits TOTP replay protection.
        print(f"bench.load: te weinig bench-accounts voor {args.users} gebruikers: {short}", file=sys.stderr)
        return 2
    plan_file.write_text(json.dumps(plan))
    plan_file.chmod(0o600)
    leaks_file = str(work / "leaks.json")
    prefix = str(work / "locust")
    env = {
        **os.environ,
        "VIK_LOAD_PLAN": str(plan_file),
        "VIK_LOAD_LEAKS": leaks_file,
        "VIK_LOAD_PAGES": str(work / "pages.json"),
    }
    with Gunicorn(args.port, args.workers):
        cmd = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(args.minutes * 60)}s",
            "--host", f"http://127.0.0.1:{args.port}", "--csv", prefix, "--only-summary", "--stop-timeout", "10",
        ]  # fmt: skip
        subprocess.run(cmd, cwd=ROOT, env=env, check=False)
    result = summarise(prefix, leaks_file)
    result.update(
        users=args.users,
        minutes=args.minutes,
        spawn_rate=args.spawn_rate,
        workers=args.workers,
        scale=args.scale,
    )
    print(f"\nLoadtest {args.users} gebruikers, {args.minutes} min, schaal {args.scale}:")
    print(
        f"  verzoeken {result['requests']}, fouten {result['failures']} ({(result['error_rate'] or 0) * 100:.2f}%)"
    )
    print(f"  p95 {result['p95_ms']:.0f} ms (budget 500 ms); zonder inloggen {result['p95_pages_ms']:.0f} ms")
    for name, page in sorted(result["pages"].items()):
        print(f"    {name:<22} {page['requests']:>6}  p50 {page['p50']:>6.0f} ms  p95 {page['p95']:>6.0f} ms")
    print(f"  lekken: {len(result['leaks'])}")
    for leak in result["leaks"][:10]:
        print(f"    {leak}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    from datetime import date

    (out / f"{date.today():%Y-%m-%d}-{args.scale}-load.json").write_text(json.dumps(result, indent=2))
    return 0 if result["failures"] == 0 and not result["leaks"] else 1


if __name__ == "__main__":
    sys.exit(main())
