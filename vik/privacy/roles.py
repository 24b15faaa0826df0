"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_CHAIR, ROLE_FUNCTIONAL_ADMIN, ROLE_PRIVACY_OFFICER, ROLE_RECORDS_MANAGER

_EVERYTHING = [
    *(
        f"privacy.{action}_{model}"
        for model in (
            "retentionrule",
            "legalhold",
            "destructionlist",
            "destructionitem",
            "destructionapproval",
            "tombstone",
            "restriction",
            "datasubjectrequest",
            "rectification",
            "anomalyreport",
        )
        for action in ("view", "add", "change")
    ),
    "privacy.approve_destruction_records",
    # the register of processing activities (AVG art. 30): the privacy officer edits it
    "core.view_processingactivity",
    "core.edit_processing_register",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_PRIVACY_OFFICER: _EVERYTHING,
    ROLE_FUNCTIONAL_ADMIN: [
        "privacy.view_retentionrule",
        "privacy.change_retentionrule",
        "core.view_processingactivity",
    ],
    ROLE_CHAIR: ["privacy.add_legalhold", "privacy.view_legalhold"],
    ROLE_RECORDS_MANAGER: [
        "privacy.approve_destruction_records",
        "privacy.view_destructionlist",
        "privacy.view_destructionitem",
        "privacy.view_retentionrule",
    ],
}
