"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_FUNCTIONAL_ADMIN

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_FUNCTIONAL_ADMIN: [
        "api.view_apiclient",
        "api.add_apiclient",
        "api.change_apiclient",
    ]
}
