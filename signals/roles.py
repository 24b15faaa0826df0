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

_CASE_WORK = [
    "signals.view_signal",
    "signals.add_signal",
    "signals.change_signal",
    "signals.export_signal",
    "signals.import_signal",
    "signals.view_signalsource",
    "signals.view_phenomenon",
    "signals.view_control",
    "signals.add_control",
    "signals.change_control",
    "signals.view_finding",
    "signals.add_finding",
    "signals.view_attachment",
    "signals.add_attachment",
    "signals.view_importbatch",
    "signals.add_importbatch",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_ANALYST: _CASE_WORK,
    ROLE_CHAIR: _CASE_WORK + ["signals.flag_casustafel"],
    ROLE_DECISION_MAKER: ["signals.view_signal", "signals.view_control"],
    ROLE_BIBOB: ["signals.view_signal"],
    ROLE_FUNCTIONAL_ADMIN: [
        "signals.view_signalsource",
        "signals.add_signalsource",
        "signals.change_signalsource",
        "signals.view_phenomenon",
        "signals.add_phenomenon",
        "signals.change_phenomenon",
    ],
}
