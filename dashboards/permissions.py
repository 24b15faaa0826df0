"""Who may use which dashboard. Figures themselves are need-to-know filtered in the selectors
(``vik.core.access.visible_q`` on the underlying rows); these checks only open the pages."""

from __future__ import annotations

from django.http import Http404

from vik.core.models import User

PERM_VIEW = "signals.view_signal"  # the analyst's dashboards, map and analysis page
PERM_MANAGEMENT = "dashboards.view_management_dashboard"  # counts beyond one's own scope, suppressed
PERM_POINTS = "subjects.view_address"  # points on the map are addresses


def require_view(user: User) -> None:
    if not user.has_perm(PERM_VIEW):
        raise Http404  # refusals answer 404, never 403 (docs/authorization.md)


def require_management(user: User) -> None:
    if not user.has_perm(PERM_MANAGEMENT):
        raise Http404  # refusals answer 404, never 403 (docs/authorization.md)


def can_view_management(user: User) -> bool:
    return user.has_perm(PERM_MANAGEMENT)


def can_view_points(user: User) -> bool:
    """Points on the map show where addresses are: only for users who may open addresses."""
    return user.has_perm(PERM_POINTS)
