"""Who may open the access review: team leaders, the functional admin, the privacy officer.
Everyone else gets 404."""

from __future__ import annotations

from django.http import Http404

from . import selectors, services


def require_review_page(user) -> None:
    if not (
        user.is_authenticated
        and user.is_active
        and (
            user.has_perm(selectors.ADMIN_PERM)
            or user.has_perm(selectors.PRIVACY_PERM)
            or selectors.is_team_leader(user)
        )
    ):
        raise Http404


def get_line_for_decision(user, pk):
    line = selectors.review_lines_for(user=user).filter(pk=pk).first()
    if line is None or not services.can_decide(user, line):
        raise Http404
    return line
