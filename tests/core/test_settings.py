"""Production settings pass `check --deploy` without warnings and refuse to start without their
required variables; demo conveniences are off there."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _prod_env(**overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "VIK_DEMO_MODE",
            "DEBUG",
            "SECURE_COOKIES",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "CELERY_TASK_ALWAYS_EAGER",
            "EMAIL_BACKEND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="vik.settings.production",
        SECRET_KEY="p" * 20 + "-production-secret-key-with-enough-entropy-0987654321",
        ALLOWED_HOSTS="vik.almelo.nl",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEY="production-blind-index-key",
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ["REDIS_URL"],
    )
    env.update(overrides)
    return env


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_prod_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"],
)
def test_missing_required_variable_stops_start_naming_it(missing):
    env = _prod_env()
    env.pop(missing)
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_malformed_variable_is_named():
    result = _manage("check", env=_prod_env(SESSION_IDLE_SECONDS="a quarter of an hour"))
    assert result.returncode != 0 and "SESSION_IDLE_SECONDS" in result.stderr
    result = _manage("check", env=_prod_env(DATABASE_URL="mysql://x"))
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_demo_mode_is_refused_in_production():
    result = _manage("check", env=_prod_env(VIK_DEMO_MODE="true"))
    assert result.returncode != 0 and "VIK_DEMO_MODE" in result.stderr


def test_env_vars_doc_is_up_to_date():
    result = _manage(
        "envvars_doc", "--check", env={**os.environ, "DJANGO_SETTINGS_MODULE": "vik.settings.test"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
