"""Production refuses the registry stand-in, both in the settings and in the stand-in itself."""

import os
import subprocess
import sys

from tests.core.test_settings import ROOT, _manage, _prod_env


def test_production_settings_refuse_the_stand_in():
    result = _manage("check", env=_prod_env(REGISTRIES_STANDIN="true"))
    assert result.returncode != 0 and "REGISTRIES_STANDIN" in result.stderr


def test_production_settings_without_the_stand_in_have_no_registry_configured():
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(sorted(n for n, c in settings.REGISTRIES.items() if c['url']))",
        env=_prod_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_stand_in_does_not_start_under_production_settings():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vik.settings.production"}
    result = subprocess.run(
        [sys.executable, "-m", "registries.standin", "--port", "0"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2 and "production" in result.stderr
