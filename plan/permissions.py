"""Access of the plan app: the plan is not personal data; reading it needs plan.view_planaction,
writing plan.add_planaction / plan.change_planaction. Unknown ids answer 404."""

from __future__ import annotations

from django.http import Http404

from .models import PlanAction

VIEW = "plan.view_planaction"
ADD = "plan.add_planaction"
CHANGE = "plan.change_planaction"
YEAR_REPORT = "plan.generate_yearreport"


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def get_action_for_change(user, pk) -> PlanAction:
    require_perm(user, CHANGE)
    try:
        return PlanAction.objects.select_related("ambition").get(pk=int(pk))
    except (PlanAction.DoesNotExist, TypeError, ValueError):
        raise Http404
