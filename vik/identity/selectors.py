"""Reads for the access review pages. A team leader sees only the lines they review; the
functional admin also the lines without a team leader; the privacy officer the flagged lines."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import AccessReviewLine, TeamLeadership

ADMIN_PERM = "core.manage_configuration"
PRIVACY_PERM = "core.view_access_log"


def is_team_leader(user) -> bool:
    return TeamLeadership.objects.filter(user=user).exists()


def _base() -> QuerySet[AccessReviewLine]:
    return AccessReviewLine.objects.select_related("review", "person", "org_unit", "decided_by").order_by(
        "-review__period", "decision", "org_unit__name", "person__username"
    )


def review_lines_for(*, user) -> QuerySet[AccessReviewLine]:
    cond = Q(reviewer=user)
    if user.has_perm(ADMIN_PERM):
        cond |= Q(reviewer__isnull=True)
    return _base().filter(cond).exclude(person=user)


def flagged_lines_for(*, user) -> QuerySet[AccessReviewLine]:
    if not user.has_perm(PRIVACY_PERM):
        return AccessReviewLine.objects.none()
    return _base().filter(flagged_at__isnull=False)
