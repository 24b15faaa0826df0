"""``python -m bench.load --users 100 --minutes 3 [--scale M]``: the load test (issue #11 item 4,
issue #26 item 2).

Starts the registry stand-in (BRP, BAG, KvK) and gunicorn on loopback (bench settings, as
bench.run does; the registry clients point at the stand-in), writes a plan for the locust
process (bench accounts with their TOTP keys, the API client's key, the URLs of each journey,
the forbidden leak markers per role; mode 0600, never logged), runs locust headless in its own
process, and reports p95, the error rate, requests per second (overall and per core) and the
number of responses that contained a record the user may not see. Results go to
``bench/results/<date>-<scale>-load.{json,md}``. Exits 1 when there were errors or leaks.
Installs locust (the ``bench`` extra of pyproject.toml) when missing.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: locust user classes and their weights (bench/locustfile.py reads them from the plan).
#: The API journey is a machine client: it needs no bench account of its own.
WEIGHTS = {"analyst": 3, "chair": 1, "bibob": 1, "api": 1}
ACCOUNT_ROLES = ("analyst", "chair", "bibob")
#: 100 users on 2 cores: two sync workers per core, as in production (docs/deployment.md);
#: ``--threads 2`` and up runs gthread workers for a comparison (docs/performance.md, "Load test").
DEFAULT_WORKERS = 4
DEFAULT_THREADS = 1
#: Seconds between two requests of one user (locust's ``between``), per profile. ``office``: a
#: person reads what a page shows before the next click (5-15 s) and a partner system calls every
#: few seconds; 100 office users are ~10 requests/s. ``stress``: 1-3 s for everyone, about five
#: times that demand: it finds where the machine saturates (requests/s per core), not what 100
#: people at work ask of it (docs/performance.md, "Load test").
THINK = {
    "office": {"human": [5, 15], "api": [2, 6]},
    "stress": {"human": [1, 3], "api": [1, 3]},
}
#: The X-VIK-Doel of the API journey (a reason: the API's purpose rule, api/purpose.py).
API_PURPOSE = "Loadtest partnerkoppeling: onderzoek naar signalen ondermijning"


def ensure_locust() -> None:
    """Installs the ``bench`` extra's requirements (locust) only, not the project itself: the
    virtualenv may be shared with other checkouts."""
    if importlib.util.find_spec("locust") is None:
        extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
        print(f"bench.load: locust ontbreekt; pip install {' '.join(extra['bench'])}", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", *extra["bench"]])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Standin:
    """The registry stand-in (``python -m registries.standin``) on loopback for the length of
    the run, like bench.run's Gunicorn."""

    def __init__(self, port: int):
        self.port = port
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        cmd = [sys.executable, "-m", "registries.standin", "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/")
                c.getresponse().read()  # 404: the stand-in answers
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("registry stand-in stopped at start-up")
                time.sleep(0.2)
        raise RuntimeError("registry stand-in did not answer within 30 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def build_plan(scale: str) -> dict:
    from django.urls import NoReverseMatch, reverse

    from bench.dataset import FORBIDDEN_MARKERS, bench_password, bench_totp_key, read_marker
    from bench.run import make_ctx

    marker = read_marker()
    info = marker["info"]
    accounts = {
        role: [[u[1], bench_totp_key(u[1])] for u in info["users"][role][1:]]  # account 01 is bench.run's
        for role in ACCOUNT_ROLES
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
    plan = {
        "password": bench_password(),
        "accounts": accounts,
        "urls": urls,
        "forbidden": FORBIDDEN_MARKERS,
        "weights": WEIGHTS,
        "registry": registry_plan(url),
        "api": api_plan(scale, info, url),
    }
    return plan


def registry_plan(url) -> dict:
    """The analyst's registry lookups through VIK's own pages ("Ophalen uit BRP/BAG"): the
    persons and addresses the stand-in knows, with a text the answer page must show."""
    from registries import standin_data

    brp = [[p["burgerservicenummer"], p["naam"]["geslachtsnaam"]] for p in standin_data.PERSONS]
    bag = [
        [a["postcode"], a["huisnummer"], a.get("huisletter", ""), a["openbareRuimteNaam"]]
        for a in standin_data.ADDRESSES
    ]
    forms = {"brp": url("registries:person_fetch"), "bag": url("registries:address_fetch")}
    if not all(forms.values()):
        return {}
    return {"brp_form": forms["brp"][0], "bag_form": forms["bag"][0], "brp": brp, "bag": bag}


def api_plan(scale: str, info: dict, url) -> dict:
    """The API journey: the machine client's key (derived, never stored in clear), its purpose,
    the list/search/detail URLs a partner system calls, and the persons outside its scope that
    must answer 404."""
    from django.db import connection

    from bench.dataset import LEAK_MARKERS, bench_api_key
    from bench.run import make_ctx

    api = info.get("api")
    if not api:
        return {}
    ctx = make_ctx(scale, api["user"][1], info)
    urls: dict[str, list[str]] = {"signals": [], "subjects": [], "person": [], "person_hidden": []}
    urls["signals"] += url("api:signals") + url("api:signals", {"pageSize": 50})
    for status in ("RECEIVED", "TRIAGE"):
        urls["signals"] += url("api:signals", {"status": status})
    for name in ["jansen", *[s.lower() for s in ctx.surnames[:20]]]:
        urls["subjects"] += url("api:subjects", {"q": name})
    for marker in LEAK_MARKERS:  # searching for what it may not see answers nothing
        urls["signals"] += url("api:signals", {"q": marker})
        urls["subjects"] += url("api:subjects", {"q": marker})
    for pk in ctx.persons[:100]:
        urls["person"] += url("api:person", pk=pk)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM subjects_person WHERE voornamen = ANY(%s) ORDER BY id", [list(LEAK_MARKERS)]
        )
        for (pk,) in cur.fetchall():
            urls["person_hidden"] += url("api:person", pk=pk)
    urls["measures"] = url("api:measures") + url("api:measures", {"toestand": "actief"})
    urls["deadlines"] = url("api:deadlines") + url("api:deadlines", {"open": "true"})
    keys = [bench_api_key(number) for number in range(len(api.get("clients") or [api["client"]]))]
    return {"keys": keys, "purpose": API_PURPOSE, "urls": urls}


def short_pools(
    accounts: dict[str, list], users: int, weights: dict[str, int] | None = None
) -> dict[str, tuple[int, int]]:
    """Roles whose account pool is smaller than the number of locust users locust gives them
    (rounded up, as locust may), as role -> (needed, available). Only the roles that log in
    need accounts; the API journey's users share the machine client."""
    weights = WEIGHTS if weights is None else weights
    total = sum(weights.values())
    need = {role: -(-users * w // total) for role, w in weights.items() if role in ACCOUNT_ROLES}
    return {r: (n, len(accounts.get(r, []))) for r, n in need.items() if len(accounts.get(r, [])) < n}


def _p95_file(path: str) -> float:
    """p95 of the journey pages' response times, written by the locustfile (login steps and the
    purpose POST left out: they are the start of a session, not the pages a user works in)."""
    try:
        times = sorted(json.loads(Path(path).read_text()))
    except (OSError, ValueError):
        return 0.0
    return float(times[min(len(times) - 1, int(0.95 * len(times)))]) if times else 0.0


def _failures(prefix: str) -> list[dict]:
    """locust's failures table (method, page, message, occurrences), most frequent first."""
    try:
        with open(f"{prefix}_failures.csv") as fh:
            rows = list(csv.DictReader(fh))
    except OSError:
        return []
    out = [
        {"method": r["Method"], "name": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
        for r in rows
    ]
    return sorted(out, key=lambda f: -f["occurrences"])


def summarise(prefix: str, leaks_file: str, cpus: int | None = None) -> dict:
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
    # locust's rate: requests over the time from the first to the last request (ramp-up included)
    rps = float(total.get("Requests/s") or 0)
    cpus = cpus or os.cpu_count() or 1
    return {
        "p95_pages_ms": _p95_file(leaks_file.replace("leaks.json", "pages.json")),
        "requests": requests_,
        "failures": failures,
        "error_rate": round(failures / requests_, 4) if requests_ else None,
        "p95_ms": float(total["95%"] or 0),
        "rps": round(rps, 2),
        "cpus": cpus,
        "rps_per_core": round(rps / cpus, 2),
        "leaks": leaks,
        "errors": _failures(prefix),
        "pages": per_page,
    }


def markdown(result: dict) -> str:
    """The result as the table docs/performance.md shows."""
    g = result.get("gunicorn") or {}
    lines = [
        f"# Loadtest {result['users']} gebruikers, schaal {result['scale']} ({result.get('started', '')})",
        "",
        f"- mix: {', '.join(f'{k} {v}' for k, v in (result.get('weights') or {}).items())};"
        f" {result['minutes']} min, {result['spawn_rate']} gebruikers/s erbij",
        f"- denktijd ({result.get('think', 'stress')}): mensen {(result.get('think_seconds') or {}).get('human', [1, 3])} s,"
        f" partnersystemen {(result.get('think_seconds') or {}).get('api', [1, 3])} s tussen twee verzoeken",
        f"- gunicorn: {g.get('workers')} workers × {g.get('threads')} threads ({g.get('worker_class')}),"
        f" {result['cpus']} cores (locust en PostgreSQL op dezelfde machine)",
        f"- load average begin/eind: {result.get('load_start')} / {result.get('load_end')}",
        "",
        "| pagina | verzoeken | fouten | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, page in sorted(result["pages"].items()):
        lines.append(
            f"| {name} | {page['requests']:,} | {page['failures']} | {page['p50']:.0f} | {page['p95']:.0f} |"
        )
    lines += [
        f"| **alles** | **{result['requests']:,}** | **{result['failures']}** | | **{result['p95_ms']:.0f}** |",
        "",
        f"**p95 van de journey-pagina's (zonder inloggen en doel): {result['p95_pages_ms']:.0f} ms**"
        " (budget 500 ms); fouten"
        f" {result['failures']} ({(result['error_rate'] or 0) * 100:.2f} %), lekken {len(result['leaks'])};"
        f" {result['rps']:.1f} verzoeken/s, {result['rps_per_core']:.1f} per core.",
    ]
    for err in result.get("errors", [])[:10]:
        lines.append(f"- fout: {err['occurrences']}× {err['method']} {err['name']}: {err['error']}")
    for leak in result["leaks"][:10]:
        lines.append(f"- lek: {leak}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--scale", type=str.upper, default="S", choices=["XS", "S", "M"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("VIK_BENCH_PORT", "8766")))
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn worker processes")
    parser.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help="threads per worker (1: sync workers, else gthread)",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2.0,
        help="users started per second (each logs in once: PBKDF2 costs about 0.3 s of CPU)",
    )
    parser.add_argument(
        "--think",
        choices=sorted(THINK),
        default="office",
        help="time between a user's requests: office (people 5-15 s, partner systems 2-6 s) or stress (1-3 s)",
    )
    parser.add_argument("--label", default="", help="suffix of the result files: <date>-<scale>-load-<label>")
    args = parser.parse_args(argv)
    ensure_locust()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["VIK_BENCH"] = "1"
    # The registry clients of gunicorn (and of this process) ask the stand-in started below.
    standin_port = free_port()
    os.environ["REGISTRIES_STANDIN"] = "true"
    os.environ["REGISTRIES_STANDIN_PORT"] = str(standin_port)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.run import Gunicorn
    from bench.summary import machine_state

    call_command("generate_dataset", scale=args.scale, no_progress=True)
    work = Path(tempfile.mkdtemp(prefix="vik-load-"))
    plan_file = work / "plan.json"
    plan = build_plan(args.scale)
    plan["think"] = THINK[args.think]
    connection.close()  # gunicorn's workers do the work from here on
    short = short_pools(plan["accounts"], args.users)
    if short:
        # Two locust users on one account: the second login hits TOTP replay protection.
        print(f"bench.load: te weinig bench-accounts voor {args.users} gebruikers: {short}", file=sys.stderr)
        return 2
    if not plan["api"]:
        print("bench.load: de dataset heeft geen API-koppeling (stap apiclient)", file=sys.stderr)
        return 2
    api_users = -(-args.users * WEIGHTS["api"] // sum(WEIGHTS.values()))  # locust rounds up
    if len(plan["api"]["keys"]) < api_users:
        # two locust users on one partner system's key share its rate limit (429)
        print(
            f"bench.load: te weinig API-koppelingen ({len(plan['api']['keys'])}) voor {api_users} API-gebruikers",
            file=sys.stderr,
        )
        return 2
    # The plan holds the password, the TOTP keys and the API key: only this user may read it.
    plan_file.touch(mode=0o600)
    plan_file.write_text(json.dumps(plan))
    leaks_file = str(work / "leaks.json")
    prefix = str(work / "locust")
    env = {
        **os.environ,
        "VIK_LOAD_PLAN": str(plan_file),
        "VIK_LOAD_LEAKS": leaks_file,
        "VIK_LOAD_PAGES": str(work / "pages.json"),
    }
    from django.utils import timezone

    started = timezone.localtime()
    load_start = machine_state()["load"]
    server = Gunicorn(args.port, args.workers, args.threads)
    try:
        with Standin(standin_port), server:
            cmd = [
                sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(args.minutes * 60)}s",
                "--host", f"http://127.0.0.1:{args.port}", "--csv", prefix, "--only-summary",
                "--stop-timeout", "10",
            ]  # fmt: skip
            subprocess.run(cmd, cwd=ROOT, env=env, check=False)
    finally:
        plan_file.unlink(missing_ok=True)
    result = summarise(prefix, leaks_file)
    result.update(
        started=f"{started:%Y-%m-%d %H:%M %Z}",
        users=args.users,
        minutes=args.minutes,
        spawn_rate=args.spawn_rate,
        weights=plan["weights"],
        think=args.think,
        think_seconds=plan["think"],
        gunicorn=server.config(),
        workers=args.workers,
        scale=args.scale,
        load_start=load_start,
        load_end=machine_state()["load"],
    )
    g = result["gunicorn"]
    print(
        f"\nLoadtest {args.users} gebruikers, {args.minutes} min, schaal {args.scale}, profiel {args.think}:"
    )
    print(
        f"  gunicorn {g['workers']} workers × {g['threads']} threads ({g['worker_class']}), {result['cpus']} cores"
    )
    print(
        f"  verzoeken {result['requests']}, fouten {result['failures']} ({(result['error_rate'] or 0) * 100:.2f}%)"
        f", {result['rps']:.1f} verzoeken/s ({result['rps_per_core']:.1f} per core)"
    )
    print(f"  p95 {result['p95_ms']:.0f} ms (budget 500 ms); zonder inloggen {result['p95_pages_ms']:.0f} ms")
    for name, page in sorted(result["pages"].items()):
        print(f"    {name:<22} {page['requests']:>6}  p50 {page['p50']:>6.0f} ms  p95 {page['p95']:>6.0f} ms")
    for err in result["errors"][:10]:
        print(f"  fout {err['occurrences']}× {err['method']} {err['name']}: {err['error']}")
    print(f"  lekken: {len(result['leaks'])}")
    for leak in result["leaks"][:10]:
        print(f"    {leak}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{started:%Y-%m-%d}-{args.scale}-load" + (f"-{args.label}" if args.label else "")
    (out / f"{stem}.json").write_text(json.dumps(result, indent=2))
    (out / f"{stem}.md").write_text(markdown(result))
    print(f"  resultaat: bench/results/{stem}.json en .md")
    return 0 if result["failures"] == 0 and not result["leaks"] else 1


if __name__ == "__main__":
    sys.exit(main())
