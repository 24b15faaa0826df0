"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_FUNCTIONAL_ADMIN, ROLE_PRIVACY_OFFICER

_ADMIN_PERMS = [
    *(
        f"identity.{action}_{model}"
        for model in ("groupmapping", "teamleadership")
        for action in ("view", "add", "change", "delete")
    ),
    "identity.view_unknownidpgroup",
    "identity.change_unknownidpgroup",
    "identity.view_clearanceneedsapproval",
    "identity.view_oidcidentity",
    "identity.view_deactivation",
    "identity.view_accessreview",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_FUNCTIONAL_ADMIN: _ADMIN_PERMS,
    ROLE_PRIVACY_OFFICER: ["identity.view_accessreview"],
}
