"""The registry stand-in as a subprocess for the whole test session (one per xdist worker, on a
free port), and a per-test fixture that points VIK's settings at it and clears its faults."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Standin:
    def __init__(self, port: int):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def urls(self) -> dict:
        return {
            "brp": f"{self.base}/haalcentraal/api/brp",
            "bewoning": f"{self.base}/haalcentraal/api/bewoning",
            "bag": f"{self.base}/lvbag/individuelebevragingen/v2",
            "kvk": f"{self.base}/kvk/api",
        }

    def fault(self, **faults: str) -> None:
        """``fault(brp="503")`` makes every BRP answer a 503 until the next call; ``fault()`` clears."""
        req = urllib.request.Request(
            f"{self.base}/_faults", data=json.dumps(faults).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        urllib.request.urlopen(req, timeout=5).read()

    def state(self) -> dict:
        return json.loads(urllib.request.urlopen(f"{self.base}/_faults", timeout=5).read())

    def calls(self, name: str) -> int:
        return self.state()["calls"].get(name, 0)


@pytest.fixture(scope="session")
def registry_standin_server():
    port = _free_port()
    env = {**os.environ, "STANDIN_SLOW_SECONDS": "2", "DJANGO_SETTINGS_MODULE": "vik.settings.test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "registries.standin", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    standin = Standin(port)
    for _ in range(100):
        try:
            standin.state()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("registry stand-in did not start: " + proc.stderr.read().decode())
            time.sleep(0.05)  # waiting for a subprocess to bind its port, not for test timing
    yield standin
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def registry_standin(registry_standin_server, settings):
    """Settings point at the stand-in; no faults; the circuit breakers closed; no backoff."""
    from registries.clients.base import breaker_reset

    standin = registry_standin_server
    settings.REGISTRIES = {
        name: {**cfg, "url": standin.urls()[name]} for name, cfg in settings.REGISTRIES.items()
    }
    settings.REGISTRIES_STANDIN = True
    settings.REGISTRIES_BACKOFF = 0
    settings.REGISTRIES_RETRIES = 2
    settings.REGISTRIES_TIMEOUT = 5
    standin.fault()
    for name in ("brp", "bewoning", "bag", "kvk"):
        breaker_reset(name)
    yield standin
    standin.fault()
    for name in ("brp", "bewoning", "bag", "kvk"):
        breaker_reset(name)
