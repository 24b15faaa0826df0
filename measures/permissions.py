"""The one access module of the measures app. Every read of one record comes through here and
answers 404 for anything the user may not see (never 403: existence is not revealed)."""

from __future__ import annotations

from django.http import Http404

from vik.core.access import get_for_user
from vik.core.models import User

from .models import DeadlineRule, EscalationMatrix, Forfeiture, Measure

VIEW_MEASURE = "measures.view_measure"
ADD_MEASURE = "measures.add_measure"
CHANGE_MEASURE = "measures.change_measure"
DECIDE_MEASURE = "measures.decide_measure"
VIEW_RULE = "measures.view_deadlinerule"
CHANGE_RULE = "measures.change_deadlinerule"
VIEW_MATRIX = "measures.view_escalationmatrix"
CHANGE_MATRIX = "measures.change_escalationmatrix"
VIEW_RECEIVABLE = "measures.view_receivable"
USE_CALCULATOR = "measures.use_calculator"


def get_measure_for_user(user: User, pk: object) -> Measure:
    qs = Measure.objects.select_related(
        "person", "organisation", "address", "responsible", "owner_team", "matrix"
    )
    return get_for_user(qs, user, pk)


def get_measure_for_change(user: User, pk: object) -> Measure:
    """A measure the user may see and record events on (analyst) or decide on (decision maker)."""
    measure = get_measure_for_user(user, pk)
    if not (user.has_perm(CHANGE_MEASURE) or user.has_perm(DECIDE_MEASURE)):
        raise Http404
    return measure


def get_forfeiture_for_change(user: User, measure_pk: object, pk: object) -> Forfeiture:
    measure = get_measure_for_change(user, measure_pk)
    if not user.has_perm(CHANGE_MEASURE):
        raise Http404
    forfeiture = measure.forfeitures.filter(pk=_int(pk)).first()
    if forfeiture is None:
        raise Http404
    return forfeiture


def get_rule_for_admin(user: User, pk: object) -> DeadlineRule:
    """Configuration, not case content: needs the model permission only."""
    if not user.has_perm(CHANGE_RULE):
        raise Http404
    rule = DeadlineRule.objects.filter(pk=_int(pk)).first()
    if rule is None:
        raise Http404
    return rule


def get_matrix_for_user(user: User, pk: object) -> EscalationMatrix:
    if not user.has_perm(VIEW_MATRIX):
        raise Http404
    matrix = EscalationMatrix.objects.filter(pk=_int(pk)).first()
    if matrix is None:
        raise Http404
    return matrix


def resolve_measure(user: User, pk: int) -> Measure:
    """Case-kind resolver for purposes (vik.core.purpose)."""
    return get_measure_for_user(user, pk)


def _int(pk: object) -> int:
    try:
        return int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404
