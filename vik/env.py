"""One helper to read every environment variable VIK uses.

Each variable is declared once with a type, a default and a help text. ``docs/env-vars.md`` is
generated from these declarations (``python manage.py envvars_doc``) so that no setting goes
undocumented. A missing required variable or a malformed value stops the process with a message
that names the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EnvVar:
    name: str
    kind: str
    default: Any
    required: bool
    help: str


REGISTRY: dict[str, EnvVar] = {}
_MISSING = object()


class EnvError(ImproperlyConfigured):
    pass


def _declare(name: str, kind: str, default: Any, required: bool, help: str) -> None:
    REGISTRY[name] = EnvVar(name, kind, default, required, help)


def env_str(name: str, default: Any = _MISSING, *, help: str, required: bool = False) -> str:
    _declare(name, "str", None if default is _MISSING else default, required or default is _MISSING, help)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is _MISSING or required:
            raise EnvError(f"Environment variable {name} is required but not set. {help}")
        return default
    return raw


def env_bool(name: str, default: bool, *, help: str) -> bool:
    _declare(name, "bool", default, False, help)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise EnvError(f"Environment variable {name} must be true or false, got {raw!r}.")


def env_int(name: str, default: int, *, help: str) -> int:
    _declare(name, "int", default, False, help)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"Environment variable {name} must be a whole number, got {raw!r}.")


def env_list(
    name: str, default: list[str] | Any = _MISSING, *, help: str, required: bool = False
) -> list[str]:
    _declare(
        name,
        "list",
        None if default is _MISSING else ",".join(default),
        required or default is _MISSING,
        help,
    )
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        if default is _MISSING or required:
            raise EnvError(f"Environment variable {name} is required but not set. {help}")
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_db_url(name: str, default: Any = _MISSING, *, help: str) -> dict[str, Any]:
    return parse_db_url(name, env_str(name, default, help=help))


def env_optional_db_url(name: str, *, help: str) -> dict[str, Any] | None:
    """A database URL that may be left unset (None then)."""
    url = env_str(name, "", help=help)
    return parse_db_url(name, url) if url else None


def parse_db_url(name: str, url: str) -> dict[str, Any]:
    import environ

    if not url.startswith(("postgres://", "postgresql://")):
        raise EnvError(f"Environment variable {name} must be a postgres:// URL, got a value of another form.")
    try:
        return environ.Env.db_url_config(url)
    except Exception:
        raise EnvError(f"Environment variable {name} is not a valid database URL.")


def render_markdown() -> str:
    lines = [
        "# Environment variables",
        "",
        "Generated from `vik/env.py` declarations (`python manage.py envvars_doc`). Every setting VIK",
        "reads from the environment is listed here. *Required* variables have no default in",
        "production; `vik.settings.dev` and `vik.settings.test` fill safe local defaults.",
        "",
        "| variable | type | default | required | meaning |",
        "|---|---|---|---|---|",
    ]
    for var in sorted(REGISTRY.values(), key=lambda v: v.name):
        default = "" if var.default in (None, "") else f"`{var.default}`"
        lines.append(
            f"| `{var.name}` | {var.kind} | {default} | {'yes' if var.required else 'no'} | {var.help} |"
        )
    return "\n".join(lines) + "\n"
