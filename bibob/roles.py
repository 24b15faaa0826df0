"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_BIBOB, ROLE_DECISION_MAKER

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_BIBOB: [
        "bibob.view_bibobdossier",
        "bibob.add_bibobdossier",
        "bibob.change_bibobdossier",
        "bibob.disclose",
    ],
    ROLE_DECISION_MAKER: ["bibob.view_bibobdossier", "bibob.decide"],
}
