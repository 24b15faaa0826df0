"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_FUNCTIONAL_ADMIN, ROLE_PRIVACY_OFFICER, ROLE_REPORTER

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_REPORTER: ["reporting.add_internalreport", "reporting.view_internalreport"],
    ROLE_FUNCTIONAL_ADMIN: ["reporting.add_guideversion", "reporting.view_guideversion"],
    ROLE_PRIVACY_OFFICER: ["reporting.view_reporter_identity"],
}
