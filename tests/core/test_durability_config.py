"""Durability settings (issue #17 items 3, 4 and 8): checked in the files that start the services,
so a regression is caught before anyone loses an acknowledged write or a queued job."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.fault


def test_project_local_postgresql_keeps_the_durability_defaults():
    script = (ROOT / "scripts/services.sh").read_text()
    conf = script[script.index("cat > '$data/vik.conf'") : script.index("if pg_running; then")]
    for setting in ("synchronous_commit", "fsync", "full_page_writes", "wal_sync_method"):
        assert not re.search(rf"^{setting}\s*=", conf, re.M), f"{setting} overridden in vik.conf"
    assert "archive_mode = on" in conf  # WAL is archived for make backup / restore-drill


def test_redis_keeps_its_data_with_an_append_only_file():
    script = (ROOT / "scripts/services.sh").read_text()
    assert "--appendonly yes --appendfsync everysec" in script
    compose = (ROOT / "docker-compose.yml").read_text()
    redis = compose[compose.index("\n  redis:") : compose.index("\n  web:")]
    assert '"--appendonly", "yes", "--appendfsync", "everysec"' in redis


def test_a_dead_workers_message_returns_soon_and_never_while_a_live_one_runs_it():
    hard = settings.CELERY_TASK_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < hard < visibility < 3600
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_database_connections_are_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
