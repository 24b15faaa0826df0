"""Which permissions of this app each role (Django group) holds: data, read by
``vik.core.roles.register_role_permissions`` in apps.py (``sync_roles`` adds them after migrate)."""

from __future__ import annotations

from vik.core.constants import ROLE_ANALYST, ROLE_BIBOB, ROLE_CHAIR, ROLE_DECISION_MAKER

_MODELS = ["person", "organisation", "address", "vehicle", "link"]
_VIEW = [f"subjects.view_{model}" for model in _MODELS]
_EDIT = _VIEW + [f"subjects.{action}_{model}" for model in _MODELS for action in ("add", "change")]
_EDITORS = [*_EDIT, "subjects.view_mergerecord", "subjects.merge_subject"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_ANALYST: _EDITORS,
    ROLE_CHAIR: _EDITORS,
    ROLE_BIBOB: _VIEW,
    ROLE_DECISION_MAKER: _VIEW,
}
