"""The one access module of the reporting app. A reporter reaches only their own reports; any
other id answers 404 (never 403: existence is not revealed)."""

from __future__ import annotations

from django.http import Http404

from vik.core.models import User

from .models import InternalReport

ADD_REPORT = "reporting.add_internalreport"
VIEW_OWN_REPORT = "reporting.view_internalreport"
CHANGE_GUIDE = "reporting.add_guideversion"
VIEW_IDENTITY = "reporting.view_reporter_identity"


def require_perm(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def get_own_report(user: User, pk: object) -> InternalReport:
    require_perm(user, VIEW_OWN_REPORT)
    try:
        return InternalReport.objects.select_related("signal").get(pk=int(pk), reporter=user)
    except (InternalReport.DoesNotExist, TypeError, ValueError):
        raise Http404
