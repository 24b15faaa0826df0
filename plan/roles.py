"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_ANALYST, ROLE_CHAIR, ROLE_DECISION_MAKER, ROLE_FUNCTIONAL_ADMIN

_STEER = [
    "plan.view_planaction",
    "plan.add_planaction",
    "plan.change_planaction",
    "plan.view_ambition",
    "plan.generate_yearreport",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_ANALYST: _STEER,
    ROLE_CHAIR: _STEER,
    ROLE_FUNCTIONAL_ADMIN: _STEER,
    ROLE_DECISION_MAKER: [
        "plan.view_planaction",
        "plan.view_ambition",
        "plan.generate_yearreport",
    ],
}
