"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_ANALYST, ROLE_CHAIR, ROLE_DECISION_MAKER, ROLE_PARTNER

_ALL_PERMS = [
    f"meetings.{action}_{model}"
    for model in ("meeting", "agendaitem", "decision", "actionitem")
    for action in ("view", "add", "change", "delete")
] + ["meetings.approve_minutes"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_CHAIR: _ALL_PERMS,
    ROLE_ANALYST: [
        "meetings.view_meeting",
        "meetings.view_agendaitem",
        "meetings.view_decision",
        "meetings.view_actionitem",
    ],
    ROLE_DECISION_MAKER: [
        "meetings.view_meeting",
        "meetings.view_agendaitem",
        "meetings.view_decision",
        "meetings.view_actionitem",
    ],
    ROLE_PARTNER: [
        "meetings.view_meeting",
        "meetings.view_agendaitem",
        "meetings.view_actionitem",
        "meetings.change_actionitem",
    ],
}
