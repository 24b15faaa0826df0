"""mypy with django-stubs over vik/core, the legal deadline modules and every services/selectors
module ([tool.mypy] in pyproject.toml), so that `make test` keeps the type hints honest.

The incremental cache lives in .local/mypy (a warm run takes seconds, a cold one under a minute).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_passes_on_the_checked_modules():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vik.settings.test"}
    env.setdefault("DATABASE_URL", "postgres://lint@127.0.0.1:1/lint")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".local" / "mypy")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
