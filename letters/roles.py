"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_ANALYST, ROLE_BIBOB, ROLE_DECISION_MAKER, ROLE_FUNCTIONAL_ADMIN

_WRITER = [
    "letters.view_letter",
    "letters.add_letter",
    "letters.change_letter",
    "letters.check_letter",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_ANALYST: _WRITER,
    ROLE_BIBOB: _WRITER,
    ROLE_DECISION_MAKER: ["letters.view_letter", "letters.approve_letter"],
    ROLE_FUNCTIONAL_ADMIN: ["letters.view_lettertemplate", "letters.add_lettertemplate"],
}
