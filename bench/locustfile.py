"""Load test (issue #11 item 4): analyst, chair and Bibob journeys against gunicorn on loopback,
run by ``python -m bench.load``. Every user logs in for real (password + TOTP) with an account
of its own, sets a purpose, and walks its journey. Every response is scanned for the seed
markers of records that this role may not see (bench.dataset.FORBIDDEN_MARKERS); a hit is
reported as a failure named LEAK and counted.

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
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None) -> str:
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Journey(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

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
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            if "/inloggen/" in r.url:
                r.failure("doorgestuurd naar inloggen")
                return
            for marker in self.forbidden:
                if marker in r.text:
                    LEAKS.append(f"{self.role} {path} {marker}")
                    r.failure(f"LEAK {marker}")
                    return
            r.success()

    def urls(self, key: str) -> list[str]:
        return PLAN["urls"].get(key) or []

    def some(self, key: str) -> str | None:
        options = self.urls(key)
        return random.choice(options) if options else None


class Analyst(Journey):
    role = "analyst"
    weight = 3

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


class Chair(Journey):
    role = "chair"
    weight = 1

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
    weight = 1

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
