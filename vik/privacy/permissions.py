"""Access to privacy records: one place, 404 for anyone without the permission."""

from __future__ import annotations

from django.http import Http404

from . import selectors
from .models import AnomalyReport, DataSubjectRequest, DestructionList, LegalHold, Restriction, RetentionRule

VIEW_DASHBOARD = "privacy.view_datasubjectrequest"
VIEW_REPORTS = "core.view_access_log"


def require(user, perm: str) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(perm)):
        raise Http404


def _one(qs, pk):
    try:
        obj = qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise Http404
    return obj


def get_rule_for_user(user, pk) -> RetentionRule:
    return _one(selectors.rule_list(user=user), pk)


def get_hold_for_user(user, pk) -> LegalHold:
    return _one(selectors.hold_list(user=user), pk)


def get_destruction_list_for_user(user, pk) -> DestructionList:
    return _one(selectors.destruction_list_list(user=user), pk)


def get_dsar_for_user(user, pk) -> DataSubjectRequest:
    return _one(selectors.dsar_list(user=user), pk)


def get_restriction_for_user(user, pk) -> Restriction:
    return _one(selectors.restriction_list(user=user), pk)


def get_anomaly_report_for_user(user, pk) -> AnomalyReport:
    return _one(selectors.anomaly_report_list(user=user), pk)
