"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_ANALYST, ROLE_BIBOB, ROLE_CHAIR, ROLE_PRIVACY_OFFICER

_FULL = [
    "registries.query_brp",
    "registries.query_bewoning",
    "registries.query_bag_kvk",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_ANALYST: _FULL,
    ROLE_CHAIR: _FULL,
    ROLE_BIBOB: ["registries.query_brp_identity", "registries.query_bag_kvk"],
    ROLE_PRIVACY_OFFICER: ["registries.view_registryquery"],
}
