"""Load test (issue #11 item 4, issue #26 item 2): analyst, chair and Bibob journeys and a
partner system on the API, against gunicorn on loopback, run by ``python -m bench.load``.

Every web user logs in for real (password + TOTP) with an account of its own, sets a purpose,
and walks its journey; about one analyst task in twelve is a lookup in the BRP or the BAG
through VIK's own "Ophalen uit BRP/BAG" pages (the registry stand-in answers). The API users
share the machine client's key (``Authorization: ApiKey``, never in a URL) and call the list,
search and detail endpoints with ``X-VIK-Doel``. Every response is scanned for the seed markers
of records that this role may not see (bench.dataset.FORBIDDEN_MARKERS); a hit is reported as a
failure named LEAK and counted. A person outside the API client's scope must answer 404.

Reads its parameters from the JSON file named by VIK_LOAD_PLAN (written by bench.load).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["VIK_LOAD_PLAN"]).read()) if os.environ.get("VIK_LOAD_PLAN") else {}
LEAKS: list[str] = []
PAGE_TIMES: list[float] = []  # response times of the journey pages (not login, not purpose)
_SESSION_START = {"login", "login totp", "purpose"}
_POOLS = {
    role: itertools.cycle(PLAN.get("accounts", {}).get(role, [])) for role in ("analyst", "chair", "bibob")
}
_API_KEYS = itertools.cycle((PLAN.get("api") or {}).get("keys") or [""])  # one partner system each
_THINK = {"human": [1, 3], "api": [1, 3], **PLAN.get("think", {})}  # seconds (bench/load.py THINK)
_WEIGHTS = {"analyst": 3, "chair": 1, "bibob": 1, "api": 1, **PLAN.get("weights", {})}
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None) -> str:
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def leak_free(r, role: str, path: str, forbidden: list[str]) -> bool:
    for marker in forbidden:
        if marker in r.text:
            LEAKS.append(f"{role} {path} {marker}")
            r.failure(f"LEAK {marker}")
            return False
    return True


class Journey(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*_THINK["human"])

    def on_start(self) -> None:
        username, key = next(_POOLS[self.role])
        self.forbidden = PLAN["forbidden"][self.role]
        self.client.get("/inloggen/", name="login")
        self._post("/inloggen/", {"username": username, "password": PLAN["password"]}, name="login")
        self.client.get("/inloggen/tweede-stap/", name="login")
        self._post("/inloggen/tweede-stap/", {"token": totp(key)}, name="login totp")
        with self._post(
            "/doel/", {"reason": "Loadtest: onderzoek naar signalen ondermijning"}, name="purpose", catch=True
        ) as r:
            if r.status_code != 200 or "/inloggen/" in r.url:
                # A failed login would otherwise go unnoticed: every later page would be the
                # login form (HTTP 200, no markers) and count as a fast success.
                r.failure(f"niet ingelogd als {username} (HTTP {r.status_code}, {r.url})")
            else:
                r.success()

    def _post(self, path: str, data: dict, name: str, catch: bool = False):
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"X-CSRFToken": token, "Referer": self.host + path},
            name=name,
            catch_response=catch,
        )

    def visit(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as r:
            self.check(r, path)

    def check(self, r, path: str, expect: str = "") -> None:
        """A journey page: HTTP 200, still logged in, ``expect`` on the page, no leak marker."""
        if r.status_code != 200:
            r.failure(f"HTTP {r.status_code}")
            return
        if "/inloggen/" in r.url:
            r.failure("doorgestuurd naar inloggen")
            return
        if not leak_free(r, self.role, path, self.forbidden):
            return
        if expect and expect not in r.text:
            r.failure(f"antwoord zonder {expect!r}")
            return
        r.success()

    def urls(self, key: str) -> list[str]:
        return PLAN["urls"].get(key) or []

    def some(self, key: str) -> str | None:
        options = self.urls(key)
        return random.choice(options) if options else None


class Analyst(Journey):
    role = "analyst"
    weight = _WEIGHTS["analyst"]

    @task(4)
    def signal_list(self):
        if url := self.some("signal_list"):
            self.visit(url, "signal list")

    @task(3)
    def typeahead(self):
        if url := self.some("typeahead"):
            self.visit(url, "typeahead")

    @task(3)
    def person(self):
        if url := self.some("person_detail_analyst"):
            self.visit(url, "person page")

    @task(1)
    def dashboard(self):
        if url := self.some("dashboard"):
            self.visit(url, "dashboard")

    @task(1)
    def registry_lookup(self):
        """ "Ophalen uit BRP/BAG": the lookup form, then the registry's answer filling the record
        form (two BRP lookups for every BAG lookup). The answer must show the person's surname or
        the street: a page saying the registry is unavailable counts as a failure."""
        reg = PLAN.get("registry") or {}
        if not reg:
            return
        if random.random() < 2 / 3:
            bsn, surname = random.choice(reg["brp"])
            self.visit(reg["brp_form"], "registry form")
            with self._post(
                reg["brp_form"], {"step": "lookup", "bsn": bsn}, name="brp lookup", catch=True
            ) as r:
                self.check(r, reg["brp_form"], expect=surname)
        else:
            postcode, number, letter, street = random.choice(reg["bag"])
            self.visit(reg["bag_form"], "registry form")
            data = {"step": "lookup", "postcode": postcode, "house_number": number, "house_letter": letter}
            with self._post(reg["bag_form"], data, name="bag lookup", catch=True) as r:
                self.check(r, reg["bag_form"], expect=street)


class Chair(Journey):
    role = "chair"
    weight = _WEIGHTS["chair"]

    @task(2)
    def meetings(self):
        if url := self.some("meeting_list"):
            self.visit(url, "meeting list")

    @task(2)
    def casustafel_signals(self):
        if url := self.some("signal_list"):
            self.visit(url, "signal list")

    @task(1)
    def dashboard(self):
        if url := self.some("dashboard"):
            self.visit(url, "dashboard")


class Bibob(Journey):
    role = "bibob"
    weight = _WEIGHTS["bibob"]

    @task(2)
    def dossiers(self):
        if url := self.some("bibob_list"):
            self.visit(url, "bibob list")

    @task(2)
    def dossier(self):
        if url := self.some("bibob_detail"):
            self.visit(url, "bibob dossier")

    @task(1)
    def typeahead(self):
        if url := self.some("typeahead"):
            self.visit(url, "typeahead")


class ApiPartner(HttpUser):
    """A partner system (the machine client of bench.dataset's apiclient step): signal lists with
    filters, subject search, person details, measures and deadlines. A person outside its scope
    must answer 404; every answer is scanned for the markers outside its scope."""

    role = "api"
    weight = _WEIGHTS["api"]
    wait_time = between(*_THINK["api"])

    def on_start(self) -> None:
        api = PLAN.get("api") or {}
        self.urls = api.get("urls") or {}
        self.forbidden = PLAN["forbidden"][self.role]
        self.client.headers.update(
            {
                "Authorization": f"ApiKey {next(_API_KEYS)}",
                "X-VIK-Doel": api.get("purpose", ""),
                "Accept": "application/json",
            }
        )

    def call(self, key: str, name: str) -> None:
        if not self.urls.get(key):
            return
        path = random.choice(self.urls[key])
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif leak_free(r, self.role, path, self.forbidden):
                r.success()

    @task(4)
    def signals(self):
        self.call("signals", "api signalen")

    @task(3)
    def subjects(self):
        self.call("subjects", "api subjecten")

    @task(3)
    def person(self):
        self.call("person", "api persoon")

    @task(1)
    def person_outside_scope(self):
        if not self.urls.get("person_hidden"):
            return
        path = random.choice(self.urls["person_hidden"])
        with self.client.get(path, name="api persoon buiten scope", catch_response=True) as r:
            if r.status_code == 200:
                LEAKS.append(f"{self.role} {path} HTTP 200")
                r.failure("LEAK persoon buiten scope")
            elif r.status_code != 404:
                r.failure(f"HTTP {r.status_code} (verwacht 404)")
            elif leak_free(r, self.role, path, self.forbidden):
                r.success()

    @task(2)
    def measures(self):
        self.call("measures", "api maatregelen")

    @task(1)
    def deadlines(self):
        self.call("deadlines", "api termijnen")


@events.request.add_listener
def _page_time(name, response_time, exception, **kwargs) -> None:
    if name not in _SESSION_START and exception is None:
        PAGE_TIMES.append(response_time)


@events.quitting.add_listener
def _report_leaks(environment, **kwargs) -> None:
    for var, data in (("VIK_LOAD_LEAKS", LEAKS), ("VIK_LOAD_PAGES", PAGE_TIMES)):
        path = os.environ.get(var)
        if path:
            with open(path, "w") as fh:
                json.dump(data, fh)
