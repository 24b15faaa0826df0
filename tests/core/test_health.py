import os

import pytest

from vik.core import health
from vik.core.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_heartbeat_key(monkeypatch):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    monkeypatch.setattr(health, "HEARTBEAT_KEY", f"vik:test-heartbeat:{worker}")
    health._redis().delete(health.HEARTBEAT_KEY)


def test_healthz_is_public_and_503_without_a_worker(client):
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["database"]["ok"] is True and body["redis"]["ok"] is True
    assert body["worker"]["ok"] is False


def test_healthz_is_200_after_a_worker_heartbeat(client):
    heartbeat.apply()  # what the worker runs every 30 s
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"


def test_healthz_reports_redis_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["redis"]["ok"] is False
