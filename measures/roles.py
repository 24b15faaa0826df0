"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import (
    ROLE_ANALYST,
    ROLE_BIBOB,
    ROLE_CHAIR,
    ROLE_DECISION_MAKER,
    ROLE_FUNCTIONAL_ADMIN,
)

_CONFIG_VIEW = [
    "measures.view_deadlinerule",
    "measures.view_escalationmatrix",
    "measures.view_escalationstep",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_ANALYST: [
        "measures.view_measure",
        "measures.add_measure",
        "measures.change_measure",
        "measures.view_measureevent",
        "measures.view_deadline",
        "measures.view_forfeiture",
        "measures.add_forfeiture",
        "measures.change_forfeiture",
        "measures.view_receivable",
        "measures.change_receivable",
        "measures.use_calculator",
        *_CONFIG_VIEW,
    ],
    ROLE_BIBOB: ["measures.use_calculator"],
    ROLE_CHAIR: ["measures.view_measure", "measures.view_receivable", *_CONFIG_VIEW],
    ROLE_DECISION_MAKER: [
        "measures.view_measure",
        "measures.decide_measure",
        "measures.view_receivable",
        "measures.use_calculator",
        *_CONFIG_VIEW,
    ],
    ROLE_FUNCTIONAL_ADMIN: [
        *_CONFIG_VIEW,
        "measures.change_deadlinerule",
        "measures.add_escalationmatrix",
        "measures.change_escalationmatrix",
        "measures.change_escalationstep",
        "measures.use_calculator",
    ],
}
