# ruff: noqa: S608 -- SQL here is assembled from fixed fragments and identifiers in code; values are bound parameters.
"""``python -m bench.run --scale S|M``: the DESIGN §7 benchmark (``make bench``).

For every operation it measures, in the same run, the end-to-end time through Django (a real
login with password and TOTP, a purpose set, need-to-know and access logging on; gunicorn on
loopback) and the bare SQL floor of the same question with the same need-to-know filter, and
reports p50, p95, queries per request (response header of bench/middleware.py) and the ratio
to the floor. Results go to ``bench/results/<date>-<scale>.json`` and a markdown table beside it,
with the previous result for the same scale shown next to the new one.

Not part of the test suite; the smoke test runs it at scale XS with ``--in-process``.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.summary import IMPORT_MIN_PER_S, annotate, budget_for, machine_state

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

LABELS = {
    "typeahead": "subject typeahead, fuzzy on surname",
    "signal_list": "signal list with filters, first page with count",
    "subject_page": "subject page with timeline",
    "network": "network, 2 hops, capped at 500 nodes",
    "dashboard": "dashboard",
    "dashboard_measures": "dashboard: measures panel (htmx)",
    "dashboard_management": "dashboard: management view (rollup, chair)",
    "map": "dashboard: map of buurten",
    "map_outlines": "dashboard: buurt outlines (GeoJSON, kept by the browser for a day)",
    "analysis": "dashboard: phenomenon and area analysis",
    "who_viewed": '"who viewed person X"',
    "import": "import (signals/s)",
    "accesslog_write": "access-log write per request",
}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": round(percentile(values, 0.5), 2),
        "p95": round(percentile(values, 0.95), 2),
    }


# --- HTTP clients ---------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: str
    headers: dict
    ms: float
    queries: int | None = None
    location: str = ""


class HttpClient:
    """A keep-alive loopback client with a cookie jar; follows redirects for GET."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=120)

    def _request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> Response:
        hdrs = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                raw = self.conn.getresponse()
                data = raw.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt:
                    raise
        ms = (time.perf_counter() - started) * 1000
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                self.cookies[k.strip()] = rest.split(";", 1)[0]
        headers_ = {k.lower(): v for k, v in raw.getheaders()}
        q = headers_.get("x-vik-queries")
        return Response(
            raw.status,
            data.decode("utf-8", "replace"),
            headers_,
            ms,
            int(q) if q else None,
            headers_.get("location", ""),
        )

    def get(self, path: str, follow: bool = True) -> Response:
        r = self._request("GET", path)
        hops = 0
        while follow and r.status in (301, 302, 303) and r.location and hops < 5:
            loc = urllib.parse.urlsplit(r.location)
            r = self._request("GET", loc.path + (f"?{loc.query}" if loc.query else ""))
            hops += 1
        return r

    def post(self, path: str, data: dict) -> Response:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._request(
            "POST",
            path,
            body=urllib.parse.urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Referer": f"http://{self.host}:{self.port}{path}",
            },
        )


class InProcessClient:
    """django.test.Client with the same interface; queries counted around each request."""

    def __init__(self):
        from django.test import Client

        self.client = Client()

    def _wrap(self, fn) -> Response:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            r = fn()
        ms = (time.perf_counter() - started) * 1000
        body = r.content.decode("utf-8", "replace") if not getattr(r, "streaming", False) else ""
        return Response(
            r.status_code,
            body,
            {k.lower(): v for k, v in r.items()},
            ms,
            len(ctx.captured_queries),
            r.get("Location", ""),
        )

    def get(self, path: str, follow: bool = True) -> Response:
        return self._wrap(lambda: self.client.get(path, follow=follow))

    def post(self, path: str, data: dict) -> Response:
        return self._wrap(lambda: self.client.post(path, data))


def login(client, username: str, password: str) -> None:
    """The real login: password form, then the TOTP code computed from the device key."""
    from bench.dataset import totp_token

    client.get("/inloggen/")
    r = client.post("/inloggen/", {"username": username, "password": password})
    if r.status not in (302, 303):
        raise RuntimeError(f"login of {username} failed at the password step (HTTP {r.status})")
    client.get("/inloggen/tweede-stap/")
    for _attempt in range(2):
        r = client.post("/inloggen/tweede-stap/", {"token": totp_token(username)})
        if r.status in (302, 303):
            return
        # The code of this 30-second step was used already (replay protection): wait for the next.
        time.sleep(31 - time.time() % 30)
    raise RuntimeError(f"login of {username} failed at the TOTP step (HTTP {r.status})")


def set_purpose(client, reason: str = "Benchmark: onderzoek naar signalen ondermijning") -> None:
    client.get("/doel/")
    r = client.post("/doel/", {"reason": reason, "case_kind": "", "case_id": ""})
    if r.status not in (302, 303):
        raise RuntimeError(f"setting the purpose failed (HTTP {r.status})")


# --- gunicorn ------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn on loopback with the bench settings. ``threads`` > 1 runs the gthread worker
    class (a request waiting on the database or a registry frees the CPU for another thread);
    1 keeps the sync workers."""

    def __init__(self, port: int, workers: int, threads: int = 1):
        self.port, self.workers, self.threads = port, workers, threads
        self.proc: subprocess.Popen | None = None

    @property
    def worker_class(self) -> str:
        return "gthread" if self.threads > 1 else "sync"

    def config(self) -> dict:
        return {"workers": self.workers, "threads": self.threads, "worker_class": self.worker_class}

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "VIK_BENCH": "1"}
        cmd = [
            sys.executable, "-m", "gunicorn", "vik.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--worker-class", self.worker_class, "--threads", str(self.threads),
            "--timeout", "120", "--keep-alive", "30", "--log-level", "warning",
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/inloggen/")
                c.getresponse().read()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("gunicorn stopped at start-up")
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


# --- operations -----------------------------------------------------------------------------------


@dataclass
class Ctx:
    """Who asks and what: the bench users' need-to-know principals and sampled parameters."""

    scale: str
    user: object
    principals: list[str]
    clearances: list[str]
    view_all: bool
    persons: list[int] = field(default_factory=list)
    surnames: list[str] = field(default_factory=list)
    person_x: dict = field(default_factory=dict)
    wijk: str = ""  # a wijk of the dataset's area outlines (analysis page)
    rng: random.Random = field(default_factory=lambda: random.Random(7))


def vis_sql(ctx: Ctx, alias: str = "") -> tuple[str, list]:
    """The same need-to-know filter as vik.core.access.visible_q, as bare SQL."""
    a = f"{alias}." if alias else ""
    if ctx.view_all:
        return f"{a}compartment = ANY(%s)", [ctx.clearances]
    return f"{a}visible_to && %s::varchar[] AND {a}compartment = ANY(%s)", [ctx.principals, ctx.clearances]


def fuzzy(name: str, rng: random.Random) -> str:
    """A typo: one letter dropped or two swapped (a user typing fast)."""
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 2)
    return (
        name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    )


@dataclass
class Op:
    key: str
    url_names: list[str]
    path: Callable[[Ctx, Callable], str]  # (ctx, reverse) -> path with query
    floor: Callable[[object, Ctx], None]  # (cursor, ctx)
    role: str = "analyst"  # the bench account that asks: analyst, chair or privacy


def _first(cur, sql: str, params: list):
    cur.execute(sql, params)
    return cur.fetchall()


def floor_typeahead(cur, ctx: Ctx) -> None:
    term = ctx._term  # type: ignore[attr-defined]
    v, p = vis_sql(ctx)
    _first(
        cur,
        f"SELECT id, voornamen, voorvoegsel, geslachtsnaam, birth_date FROM subjects_person WHERE name_normalised %% %s"
        f" AND {v} AND merged_into_id IS NULL ORDER BY similarity(name_normalised, %s) DESC, id LIMIT 10",
        [term, *p, term],
    )


def floor_signal_list(cur, ctx: Ctx) -> None:
    status, phen = ctx._filter  # type: ignore[attr-defined]
    v, p = vis_sql(ctx, "s")
    where = (
        f"{v} AND s.status = %s AND EXISTS (SELECT 1 FROM signals_signal_phenomena sp JOIN signals_phenomenon ph"
        " ON ph.id = sp.phenomenon_id WHERE sp.signal_id = s.id AND ph.code = %s)"
    )
    _first(
        cur,
        f"SELECT s.id, s.received_date, s.summary, s.status FROM signals_signal s WHERE {where} ORDER BY s.received_date DESC, s.id DESC LIMIT 50",
        [*p, status, phen],
    )
    _first(cur, f"SELECT count(*) FROM signals_signal s WHERE {where}", [*p, status, phen])


def floor_subject_page(cur, ctx: Ctx) -> None:
    pk = ctx._person  # type: ignore[attr-defined]
    v, p = vis_sql(ctx)
    vs, ps = vis_sql(ctx, "s")
    _first(cur, f"SELECT * FROM subjects_person WHERE id = %s AND {v}", [pk, *p])
    _first(
        cur,
        f"SELECT * FROM subjects_link WHERE ((from_kind = 'person' AND from_id = %s) OR (to_kind = 'person' AND to_id = %s)) AND {v}",
        [pk, pk, *p],
    )
    _first(
        cur,
        f"SELECT s.id, s.received_date, s.summary FROM signals_signal s JOIN signals_signalsubject ss ON ss.signal_id = s.id WHERE ss.person_id = %s AND {vs} ORDER BY s.received_date DESC",
        [pk, *ps],
    )
    vm, pm = vis_sql(ctx, "m")
    _first(
        cur,
        f"SELECT m.id, m.kind, m.state FROM measures_measure m WHERE m.person_id = %s AND {vm}",
        [pk, *pm],
    )


def floor_network(cur, ctx: Ctx) -> None:
    pk = ctx._person  # type: ignore[attr-defined]
    v, p = vis_sql(ctx, "l")
    sql = f"""
    WITH hop1 AS (
        SELECT l.from_kind, l.from_id, l.to_kind, l.to_id FROM subjects_link l
        WHERE ((l.from_kind = 'person' AND l.from_id = %s) OR (l.to_kind = 'person' AND l.to_id = %s)) AND {v}
        LIMIT 500
    ), nodes AS (
        SELECT from_kind AS k, from_id AS i FROM hop1 UNION SELECT to_kind, to_id FROM hop1
    )
    SELECT l.id, l.from_kind, l.from_id, l.to_kind, l.to_id, l.link_type FROM subjects_link l
    JOIN nodes n ON (l.from_kind = n.k AND l.from_id = n.i) OR (l.to_kind = n.k AND l.to_id = n.i)
    WHERE {v} LIMIT 500
    """
    _first(cur, sql, [pk, pk, *p, *p])


def floor_dashboard(cur, ctx: Ctx) -> None:
    v, p = vis_sql(ctx, "s")
    since = date.today() - timedelta(days=365)
    _first(
        cur,
        f"SELECT date_trunc('month', s.received_date) AS m, ph.code, count(*) FROM signals_signal s"
        f" JOIN signals_signal_phenomena sp ON sp.signal_id = s.id JOIN signals_phenomenon ph ON ph.id = sp.phenomenon_id"
        f" WHERE {v} AND s.received_date >= %s GROUP BY 1, 2",
        [*p, since],
    )
    _first(cur, f"SELECT s.status, count(*) FROM signals_signal s WHERE {v} GROUP BY 1", p)


def _year_ago() -> date:
    return date.today() - timedelta(days=365)


def floor_dashboard_measures(cur, ctx: Ctx) -> None:
    """Measures per kind and state, deadlines due, afpak per year: the panel's three questions."""
    v, p = vis_sql(ctx, "m")
    _first(cur, f"SELECT m.kind, m.state, count(*) FROM measures_measure m WHERE {v} GROUP BY 1, 2", p)
    _first(
        cur,
        f"SELECT m.kind, count(*) FILTER (WHERE d.due_date < current_date) FROM measures_deadline d"
        f" JOIN measures_measure m ON m.id = d.measure_id JOIN measures_deadlinerule r ON r.id = d.rule_id"
        f" WHERE {v} AND NOT d.done AND NOT d.paused AND r.requires_action GROUP BY 1",
        p,
    )
    vr, pr = vis_sql(ctx, "r")
    _first(
        cur,
        f"SELECT extract(year FROM r.origin_date), sum(r.amount), sum(r.collected) FROM measures_receivable r"
        f" WHERE {vr} AND r.origin_date >= %s GROUP BY 1",
        [*pr, _year_ago()],
    )


def floor_dashboard_management(cur, ctx: Ctx) -> None:
    """The rollup grouped per month and phenomenon, per source and per status (chair's compartments)."""
    since = _year_ago().replace(day=1)
    where = 'compartment = ANY(%s) AND month >= %s AND "primary"'
    for key in ("month, phenomenon", "source", "status"):
        _first(
            cur,
            f"SELECT {key}, sum(n) FROM dashboards_signalrollup WHERE {where} GROUP BY {key}",
            [ctx.clearances, since],
        )


def floor_outlines(cur, ctx: Ctx) -> None:
    """The buurt outlines of the latest year."""
    _first(
        cur,
        "SELECT code, name, geometry FROM dashboards_area WHERE level = 'BU'"
        " AND year = (SELECT max(year) FROM dashboards_area)",
        [],
    )


def floor_map(cur, ctx: Ctx) -> None:
    """The buurten (code and name) and the visible signals per buurt (the outlines come apart)."""
    v, p = vis_sql(ctx, "s")
    _first(
        cur,
        "SELECT code, name FROM dashboards_area WHERE level = 'BU' AND year = (SELECT max(year) FROM dashboards_area)",
        [],
    )
    _first(
        cur,
        f"SELECT a.buurt_code, count(DISTINCT s.id) FROM signals_signal s"
        f" JOIN signals_signalsubject ss ON ss.signal_id = s.id JOIN subjects_address a ON a.id = ss.address_id"
        f" WHERE {v} AND s.received_date >= %s AND a.buurt_code <> '' GROUP BY 1",
        [*p, _year_ago()],
    )


def floor_analysis(cur, ctx: Ctx) -> None:
    """Hennep in one wijk: the trend per month and the recurring persons."""
    v, p = vis_sql(ctx, "s")
    sel = (
        f"SELECT s.id FROM signals_signal s WHERE {v} AND s.received_date >= %s"
        " AND EXISTS (SELECT 1 FROM signals_signal_phenomena sp JOIN signals_phenomenon ph ON ph.id = sp.phenomenon_id"
        " WHERE sp.signal_id = s.id AND ph.code = 'hennep')"
        " AND EXISTS (SELECT 1 FROM signals_signalsubject ss JOIN subjects_address a ON a.id = ss.address_id"
        " WHERE ss.signal_id = s.id AND a.wijk_code = %s)"
    )
    params = [*p, _year_ago(), ctx.wijk]
    _first(
        cur,
        f"SELECT date_trunc('month', s.received_date), count(*) FROM signals_signal s WHERE s.id IN ({sel}) GROUP BY 1",
        params,
    )
    vp, pp = vis_sql(ctx, "pe")
    _first(
        cur,
        f"SELECT pe.id, pe.voornamen, pe.geslachtsnaam, count(DISTINCT ss.signal_id) FROM signals_signalsubject ss"
        f" JOIN subjects_person pe ON pe.id = ss.person_id WHERE ss.signal_id IN ({sel}) AND {vp}"
        f" GROUP BY 1, 2, 3 HAVING count(DISTINCT ss.signal_id) >= 2 ORDER BY 4 DESC LIMIT 25",
        [*params, *pp],
    )


def floor_who_viewed(cur, ctx: Ctx) -> None:
    ref = ctx.person_x["ref_id"]
    _first(cur, "SELECT * FROM core_logref WHERE id = %s", [ref])
    _first(
        cur,
        "SELECT * FROM core_accesslog WHERE ref_id = %s AND at >= now() - interval '12 months'"
        " ORDER BY at DESC, id DESC LIMIT 101",
        [ref],
    )


def _path(reverse, names: list[str], kwargs: dict | None = None, query: dict | None = None) -> str:
    from django.urls import NoReverseMatch

    for name in names:
        try:
            base = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
        return base + ("?" + urllib.parse.urlencode(query) if query else "")
    raise LookupError("not built")


def _typeahead_path(ctx, reverse):
    name = ctx.rng.choice(ctx.surnames)
    ctx._term = fuzzy(name, ctx.rng).lower()
    return _path(reverse, ["subjects:typeahead"], query={"q": ctx._term})


def _signal_list_path(ctx, reverse):
    ctx._filter = (
        ctx.rng.choice(["RECEIVED", "TRIAGE", "CLOSED", "ENRICHMENT"]),
        ctx.rng.choice(["hennep", "drugs", "fraude", "witwassen", "horeca"]),
    )
    return _path(reverse, ["signals:list"], query={"status": ctx._filter[0], "fenomeen": ctx._filter[1]})


def _subject_path(ctx, reverse):
    ctx._person = ctx.rng.choice(ctx.persons)
    return _path(reverse, ["subjects:person_detail"], kwargs={"pk": ctx._person})


def _network_path(ctx, reverse):
    ctx._person = ctx.rng.choice(ctx.persons)
    return _path(
        reverse, ["subjects:person_network_json", "subjects:person_network"], kwargs={"pk": ctx._person}
    )


def _dashboard_path(ctx, reverse):
    return _path(reverse, ["dashboards:overview", "dashboards:index"])


def _measures_panel_path(ctx, reverse):
    return _path(reverse, ["dashboards:panel_measures"])


def _management_path(ctx, reverse):
    return _path(reverse, ["dashboards:management"])


def _map_path(ctx, reverse):
    return _path(reverse, ["dashboards:map"])


def _outlines_path(ctx, reverse):
    return _path(reverse, ["dashboards:outlines"])


def _analysis_path(ctx, reverse):
    if not ctx.wijk:
        raise LookupError("no areas in the dataset")
    return _path(reverse, ["dashboards:analysis"], query={"fenomeen": "hennep", "gebied": ctx.wijk})


def _who_viewed_path(ctx, reverse):
    return _path(reverse, ["core:who_viewed"], query={"ref": ctx.person_x["ref_id"]})


OPS = [
    Op("typeahead", ["subjects:typeahead"], _typeahead_path, floor_typeahead),
    Op("signal_list", ["signals:list"], _signal_list_path, floor_signal_list),
    Op("subject_page", ["subjects:person_detail"], _subject_path, floor_subject_page),
    Op("network", ["subjects:person_network_json"], _network_path, floor_network),
    Op("dashboard", ["dashboards:overview"], _dashboard_path, floor_dashboard),
    Op("dashboard_measures", ["dashboards:panel_measures"], _measures_panel_path, floor_dashboard_measures),
    Op(
        "dashboard_management",
        ["dashboards:management"],
        _management_path,
        floor_dashboard_management,
        role="chair",
    ),
    Op("map", ["dashboards:map"], _map_path, floor_map),
    Op("map_outlines", ["dashboards:outlines"], _outlines_path, floor_outlines),
    Op("analysis", ["dashboards:analysis"], _analysis_path, floor_analysis),
    Op("who_viewed", ["core:who_viewed"], _who_viewed_path, floor_who_viewed, role="privacy"),
]


def make_ctx(scale: str, username: str, info: dict) -> Ctx:
    from django.db import connection

    from vik.core.access import clearances, principals
    from vik.core.models import User

    user = User.objects.get(username=username)
    ctx = Ctx(scale, user, principals(user), clearances(user), user.has_perm("core.view_all_teams"))
    ctx.person_x = info.get("person_x", {})
    v, p = vis_sql(ctx, "p")
    with connection.cursor() as cur:
        # Persons with links (a realistic page) that this user may see.
        cur.execute(
            f"SELECT p.id FROM subjects_person p WHERE {v} AND EXISTS (SELECT 1 FROM subjects_link l"
            " WHERE l.from_kind = 'person' AND l.from_id = p.id) ORDER BY p.id LIMIT 400",
            p,
        )
        ctx.persons = [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT DISTINCT p.geslachtsnaam FROM subjects_person p WHERE {v} LIMIT 400", p)
        ctx.surnames = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT to_regclass('dashboards_area')")
        if cur.fetchone()[0]:
            cur.execute(
                "SELECT code FROM dashboards_area WHERE level = 'WK' ORDER BY year DESC, code LIMIT 1"
            )
            row = cur.fetchone()
            ctx.wijk = row[0] if row else ""
    return ctx


def measure_op(op: Op, client, ctx: Ctx, iterations: int, warmup: int = 2) -> dict:
    from django.db import connection
    from django.urls import reverse

    try:
        op.path(ctx, reverse)
    except LookupError:
        return {"key": op.key, "status": "not built"}
    e2e, floor, queries = [], [], []
    errors = 0
    for i in range(warmup + iterations):
        path = op.path(ctx, reverse)
        r = client.get(path)
        if r.status != 200:
            errors += 1
            if errors > 3 and not e2e:
                return {"key": op.key, "status": f"error HTTP {r.status}", "path": path}
            continue
        with connection.cursor() as c:
            started = time.perf_counter()
            op.floor(c, ctx)
            f_ms = (time.perf_counter() - started) * 1000
        if i >= warmup:
            e2e.append(r.ms)
            floor.append(f_ms)
            if r.queries is not None:
                queries.append(r.queries)
    res = {"key": op.key, "status": "ok", "e2e": stats(e2e), "floor": stats(floor), "errors": errors}
    if queries:
        res["queries"] = {"median": statistics.median(queries), "max": max(queries)}
    fp95 = res["floor"]["p95"]
    res["ratio"] = round(res["e2e"]["p95"] / fp95, 1) if fp95 and fp95 > 0 else None
    budget = budget_for(op.key, ctx.scale)
    if budget is not None:
        res["budget_ms"] = budget
        res["within_budget"] = res["e2e"]["p95"] <= budget
    return res


# --- import throughput and access-log overhead (in process) -----------------------------------------


def import_rows(n: int, rng: random.Random) -> bytes:
    from bench import synthetic as syn

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(["ontvangen_op", "bron", "fenomeen", "omschrijving", "samenvatting", "extern_kenmerk", "persoon_voornamen",
                "persoon_geslachtsnaam", "adres_postcode", "adres_huisnummer"])  # fmt: skip
    tag = f"{int(time.time())}{rng.randrange(10**6)}"
    muni = syn.municipalities("S")[0]
    for i in range(n):
        name = syn.person_name(rng)
        w.writerow([
            (date.today() - timedelta(days=rng.randint(0, 365))).strftime("%d-%m-%Y"), "gemeente",
            rng.choice(["hennep", "drugs", "fraude"]), "Melding uit benchmarkimport, volledige tekst.",
            "Benchmarkimport signaal", f"BENCH-{tag}-{i}", name["voornamen"], name["geslachtsnaam"],
            syn.postcode(rng, muni), rng.randint(1, 200),
        ])  # fmt: skip
    return buf.getvalue().encode()


IMPORT_RUNS = 3
IMPORT_ROWS = 5000  # a police export of a few weeks; the rate is that of a sustained import


def measure_import(n: int, username: str, runs: int = IMPORT_RUNS) -> dict:
    """Signals per second through the app's import (rolled back afterwards), the median of
    ``runs`` files of ``n`` new rows each (the wall time of identical runs swings ±30 % on a
    shared machine; every run is recorded), against a COPY of the same rows into
    signals_signal (also rolled back)."""
    from django.db import connection, transaction

    from bench.copyload import Table, copy_rows, reserve_ids
    from signals.importing import run_import
    from signals.models import Signal, SignalSource
    from vik.core.models import User

    user = User.objects.get(username=username)

    class Rollback(Exception):
        pass

    measured = []  # (imported, seconds, python cpu seconds, fk check seconds, errors)
    for number in range(runs):
        data = import_rows(n, random.Random(11 + number))
        started = time.perf_counter()
        cpu_started = time.process_time()
        result, elapsed, cpu, fk_checks = None, 0.0, 0.0, 0.0
        try:
            with transaction.atomic():
                result = run_import(actor=user, data=data, filename="bench.csv")
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
                # The foreign keys are checked at COMMIT (Django's are DEFERRABLE INITIALLY
                # DEFERRED), which this rolled-back measurement never reaches: timed apart, so
                # that the rate a committed import sees is on record too.
                checks_started = time.perf_counter()
                with connection.cursor() as cur:
                    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                fk_checks = time.perf_counter() - checks_started
                raise Rollback
        except Rollback:
            pass
        imported = getattr(result, "imported", 0) or 0
        measured.append((imported, elapsed, cpu, fk_checks, list(getattr(result, "errors", []) or [])[:3]))
    imported, elapsed, cpu, fk_checks, errors = sorted(measured, key=lambda m: m[1])[len(measured) // 2]
    source = SignalSource.objects.get(code="gemeente")
    table = Table(Signal)
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                first = reserve_ids(cur.cursor, table.name, n)
            rows = [
                {"id": first + i, "owner_team_id": user.org_unit_id, "visible_to": [f"t:{user.org_unit.code}"],
                 "source_id": source.pk, "received_date": date.today(), "summary": "Benchmarkimport signaal",
                 "narrative": "x", "created_at": datetime.now().astimezone(), "updated_at": datetime.now().astimezone()}
                for i in range(n)
            ]  # fmt: skip
            started = time.perf_counter()
            copy_rows(table, rows)
            copy_elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    rate = imported / elapsed if elapsed else 0
    copy_rate = n / copy_elapsed if copy_elapsed else 0
    return {
        "key": "import",
        "status": "ok" if all(m[0] == n for m in measured) else f"imported {imported} of {n}: {errors}",
        "rows": n,
        "runs": [round(m[0] / m[1]) if m[1] else 0 for m in measured],  # signals/s of each run, in order
        "signals_per_s": round(rate),  # the median run
        "copy_rows_per_s": round(copy_rate),
        "ratio": round(copy_rate / rate, 1) if rate else None,
        "python_cpu_us_per_row": round(cpu * 1e6 / n) if imported else None,
        "fk_checks_ms": round(fk_checks * 1000) if imported else None,
        "signals_per_s_with_fk_checks": round(imported / (elapsed + fk_checks)) if imported else 0,
        "budget": IMPORT_MIN_PER_S,
        "within_budget": rate >= IMPORT_MIN_PER_S,
    }


def tidy_after_import() -> None:
    """The import and COPY measurements roll back: their rows stay behind as dead tuples (and in
    the GIN pending lists) until a vacuum. Without autovacuum every later run would be slower, so
    the runner vacuums what it touched (not possible inside a transaction, e.g. in a test)."""
    from django.db import connection

    if connection.in_atomic_block:
        return
    with connection.cursor() as cur:
        for table in (
            "signals_signal",
            "signals_signal_phenomena",
            "signals_signalsubject",
            "signals_signalstatuschange",
            "subjects_person",  # every bench row brings a new person (trigram GIN pending list)
            "subjects_address",
            "auditlog_logentry",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")


def measure_accesslog_write(iterations: int, username: str, person_id: int | None) -> dict:
    """What one log_access call adds to a request (LogRef lookup, head lock, hash, insert), in
    its own transaction like a request in autocommit mode; floor: a bare INSERT of a row."""
    from django.db import connection, transaction

    from vik.core.accesslog import log_access
    from vik.core.constants import AccessAction
    from vik.core.models import User

    user = User.objects.get(username=username)
    Person = __import__("subjects.models", fromlist=["Person"]).Person
    obj = Person.objects.filter(pk=person_id).first() if person_id else Person.objects.first()
    times, floors = [], []
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS bench_log_floor (LIKE core_accesslog)")
    for i in range(iterations):
        started = time.perf_counter()
        log_access(
            user=user,
            action=AccessAction.READ,
            obj=obj,
            purpose="Benchmark: schrijfkosten toegangslog",
            detail="bench",
        )
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO bench_log_floor (id, at, actor_id, actor_label, role, action, ref_id, ref_kind, purpose, detail,"
                " result, ip, prev_hash, hash, trace_id, span_id) VALUES (%s, now(), %s, 'x', '', 'read', 1,"
                " 'subjects.person', '', '', 'allowed', '', repeat('0', 64), repeat('0', 64), repeat('0', 32),"
                " repeat('0', 16))",
                [i, user.pk],
            )
        floors.append((time.perf_counter() - started) * 1000)
    res = {
        "key": "accesslog_write",
        "status": "ok",
        "e2e": stats(times),
        "floor": stats(floors),
        "budget_ms": 2.0,
    }
    res["within_budget"] = res["e2e"]["p95"] <= 2.0
    fp95 = res["floor"]["p95"]
    res["ratio"] = round(res["e2e"]["p95"] / fp95, 1) if fp95 else None
    return res


# --- reporting ------------------------------------------------------------------------------------


def previous_result(scale: str, label: str = "") -> dict | None:
    files = sorted(RESULTS.glob(f"*-{scale}{'-' + label if label else ''}.json"))
    if not files:
        return None
    try:
        return json.loads(files[-1].read_text())
    except (OSError, ValueError):
        return None


def markdown(result: dict, previous: dict | None) -> str:
    prev = {r["key"]: r for r in (previous or {}).get("operations", [])}
    when = previous.get("date", "?") if previous else "—"
    lines = [
        f"### Benchmark scale {result['scale']}{' (' + result['label'] + ')' if result.get('label') else ''}"
        f" — {result['date']} ({result['mode']})",
        "",
        f"| operation | p50 ms | p95 ms | queries | floor p50 | floor p95 | ratio p95 | budget | previous p95 ({when}) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in result["operations"]:
        label = LABELS.get(r["key"], r["key"])
        p = prev.get(r["key"], {})
        if r["status"] != "ok" and "e2e" not in r and "signals_per_s" not in r:
            lines.append(f"| {label} | {r['status']} | | | | | | | |")
            continue
        if r["key"] == "import":
            pv = p.get("signals_per_s", "—")
            mark = "✓" if r["within_budget"] else "✗"
            committed = r.get("signals_per_s_with_fk_checks")
            fk = f"{committed:,}/s with the COMMIT's FK checks" if committed else ""
            runs = r.get("runs") or []
            each = (
                f"median of {len(runs)} files of {r['rows']:,} rows: " + ", ".join(f"{x:,}" for x in runs)
                if runs
                else ""
            )
            lines.append(
                f"| {label} | {r['signals_per_s']:,}/s | {fk} | {each} | COPY {r['copy_rows_per_s']:,}/s | | {r['ratio']}× slower | ≥{r.get('budget', IMPORT_MIN_PER_S):,}/s {mark} | {pv} |"
            )
            continue
        q = r.get("queries", {})
        qtxt = f"{q.get('median', '—')}" + (
            f" (max {q['max']})" if q and q.get("max") != q.get("median") else ""
        )
        mark = "✓" if r.get("within_budget") else "✗"
        pv = p.get("e2e", {}).get("p95", "—")
        lines.append(
            f"| {label} | {r['e2e']['p50']} | {r['e2e']['p95']} | {qtxt} | {r['floor']['p50']} | {r['floor']['p95']} |"
            f" {r.get('ratio', '—')}× | {r.get('budget_ms', '')} ms {mark} | {pv} |"
        )
    if result.get("verdicts"):
        machine = result.get("machine") or {}
        drift = result.get("floor_drift") or {}
        lines += [
            "",
            f"Machine: {machine.get('cpus', '?')} CPUs, load average (1/5/15 min) "
            f"{_load(machine.get('load_start'))} at start, {_load(machine.get('load_end'))} at end.",
        ]
        if drift.get("operations"):
            per_op = ", ".join(f"{k} {v}×" for k, v in drift["operations"].items())
            lines.append(
                f"Floors (SQL p50) against the previous run ({drift['previous']}): median {drift['median']}× ({per_op})."
            )
        lines += ["", "```", *result["verdicts"], "```"]
    return "\n".join(lines) + "\n"


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "?"


# --- main -----------------------------------------------------------------------------------------


def run(
    scale: str,
    *,
    iterations: int,
    in_process: bool,
    port: int = 8765,
    workers: int = 2,
    out=sys.stdout,
    write: bool = True,
    migrate: bool = True,
    label: str = "",
    only: set[str] | None = None,
    import_rows: int | None = None,
) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from bench.dataset import bench_password, read_marker

    with connection.cursor() as cur:
        cur.execute("SHOW autovacuum")
        if cur.fetchone()[0] != "on":
            out.write(
                "  let op: autovacuum staat uit op deze server; de dataset en de runner ruimen zelf op"
                " (VACUUM), maar in productie hoort autovacuum aan.\n"
            )
    if migrate:
        call_command("migrate", verbosity=0)
    call_command(
        "generate_dataset",
        scale=scale,
        no_progress=not out.isatty() if hasattr(out, "isatty") else True,
        stdout=out,
    )
    marker = read_marker()
    info = marker["info"]
    analyst = info["users"]["analyst"][0][1]
    accounts = {role: info["users"][role][0][1] for role in ("analyst", "chair", "privacy")}
    password = bench_password()
    ops = [op for op in OPS if not only or op.key in only]
    if not in_process and ops:
        connection.close()  # the measuring connection is opened fresh after gunicorn started

    def client_for(username: str):
        c = InProcessClient() if in_process else HttpClient("127.0.0.1", port)
        login(c, username, password)
        set_purpose(c)
        return c

    machine = machine_state()
    result = {
        "scale": scale,
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "mode": "in-process"
        if in_process
        else f"gunicorn ×{workers}"
        if not only or set(only) & {op.key for op in OPS}
        else "in-process (no pages)",
        "iterations": iterations,
        # L-core and the like: the access log's size when it is not the scale's (--log-rows).
        "dataset": {
            "log_rows": info.get("log_rows"),
            "log_months": len(marker["steps"].get("accesslog", {}).get("months", [])),
        },
        # Recorded when the measuring starts (after any generation) and when it ends.
        "machine": {"cpus": machine["cpus"], "load_start": machine["load"], "load_end": None},
        "operations": [],
    }
    server = None if in_process or not ops else Gunicorn(port, workers)
    if server:
        server.__enter__()
    try:
        roles = {op.role for op in ops}
        clients = {role: client_for(username) for role, username in accounts.items() if role in roles}
        ctxs = {role: make_ctx(scale, username, info) for role, username in accounts.items() if role in roles}
        for op in ops:
            out.write(f"  meten: {LABELS[op.key]} ...\n")
            result["operations"].append(measure_op(op, clients[op.role], ctxs[op.role], iterations))
    finally:
        if server:
            server.__exit__(None, None, None)
    if not only or "import" in only:
        out.write("  meten: import ...\n")
        rows = import_rows or max(50, min(IMPORT_ROWS, iterations * 100))
        result["operations"].append(measure_import(rows, analyst))
        tidy_after_import()
    if not only or "accesslog_write" in only:
        out.write("  meten: schrijven toegangslog ...\n")
        result["operations"].append(
            measure_accesslog_write(
                max(20, iterations * 4), analyst, info.get("person_x", {}).get("person_id")
            )
        )
    result["machine"]["load_end"] = machine_state()["load"]
    previous = previous_result(scale, label)
    result["label"] = label
    annotate(result, previous)
    table = markdown(result, previous)
    if write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = f"{date.today():%Y-%m-%d}-{scale}" + (f"-{label}" if label else "")
        (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, default=str))
        (RESULTS / f"{stem}.md").write_text(table)
        result["files"] = [str(RESULTS / f"{stem}.json"), str(RESULTS / f"{stem}.md")]
    out.write("\n" + table)
    out.write("\nVerdict per budget:\n" + "\n".join(result["verdicts"]) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=str.upper, choices=["XS", "S", "M", "L"], default="S", metavar="{S,M,L}"
    )
    parser.add_argument(
        "--iterations", type=int, default=None, help="metingen per operatie (standaard 60; --quick: 5)"
    )
    parser.add_argument("--quick", action="store_true", help="een handvol metingen (rooktest)")
    parser.add_argument("--in-process", action="store_true", help="Django-testclient in plaats van gunicorn")
    parser.add_argument("--port", type=int, default=int(os.environ.get("VIK_BENCH_PORT", "8765")))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--label",
        default="",
        type=lambda v: "".join(c for c in v if c.isalnum() or c in "-_")[:40],
        help="naam van een variant (bijv. log1maand): eigen resultaatbestand, vergeleken met dezelfde variant",
    )
    parser.add_argument(
        "--only",
        default="",
        help="alleen deze metingen, met komma's gescheiden (bijv. import of signal_list,map); "
        "eigen resultaatbestand (label only-...)",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=None,
        help="regels per importbestand (standaard 100 × iteraties, max 5.000; drie bestanden, de mediaan telt)",
    )
    args = parser.parse_args(argv)
    only = {k.strip() for k in args.only.split(",") if k.strip()}
    unknown = only - set(LABELS)
    if unknown:
        parser.error(f"onbekende meting: {', '.join(sorted(unknown))}; bekend: {', '.join(LABELS)}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["VIK_BENCH"] = "1"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench.dataset import DatasetError

    iterations = args.iterations or (5 if args.quick else 60)
    try:
        run(
            args.scale,
            iterations=iterations,
            in_process=args.in_process,
            port=args.port,
            workers=args.workers,
            label=args.label or ("only-" + "-".join(sorted(only)) if only else ""),
            only=only or None,
            import_rows=args.import_rows,
        )
    except DatasetError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the CommandError of generate_dataset carries the clear message
        from django.core.management import CommandError

        if isinstance(exc, CommandError):
            print(f"bench: {exc}", file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
