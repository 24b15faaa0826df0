"""The one access module of the letters app. A letter is visible to whoever may see its case
(the measure or the Bibob dossier, through that app's own access function) and holds the letters
permission; anything else answers 404. The Bibob compartment is enforced by the dossier's access
function (no break-glass) and by the letter's own compartment, which lists filter on too."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from vik.core.access import clearances, visible_q
from vik.core.models import User

from .models import Letter, LetterTemplate

VIEW_LETTER = "letters.view_letter"
ADD_LETTER = "letters.add_letter"
CHECK_LETTER = "letters.check_letter"
APPROVE_LETTER = "letters.approve_letter"
VIEW_TEMPLATE = "letters.view_lettertemplate"
ADD_TEMPLATE = "letters.add_lettertemplate"


def case_for_user(user: User, *, measure_pk: object = None, dossier_pk: object = None):
    """The case (measure or dossier) the user may see, else 404."""
    if measure_pk is not None:
        from measures.permissions import get_measure_for_user

        return get_measure_for_user(user, measure_pk)
    if dossier_pk is not None:
        from bibob.permissions import get_dossier_for_user

        return get_dossier_for_user(user, dossier_pk)
    raise Http404


def letters_visible(user: User) -> QuerySet[Letter]:
    """Letters whose case the user may see (SQL filter through the case's visible_to)."""
    if not user.is_authenticated or not user.has_perm(VIEW_LETTER):
        return Letter.objects.none()
    from bibob.models import BibobDossier
    from measures.models import Measure

    q = (Q(measure__isnull=False) & visible_q(user, Measure, prefix="measure__")) | (
        Q(dossier__isnull=False) & visible_q(user, BibobDossier, prefix="dossier__")
    )
    return Letter.objects.filter(q, compartment__in=clearances(user))


def get_letter_for_user(user: User, pk: object) -> Letter:
    try:
        pk_int = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404
    if not user.has_perm(VIEW_LETTER):
        raise Http404
    letter = (
        Letter.objects.select_related(
            "measure", "dossier", "signatory", "created_by", "checked_by", "approved_by"
        )
        .filter(pk=pk_int)
        .first()
    )
    if letter is None or letter.compartment not in clearances(user):
        raise Http404
    # the case's own access function decides (404 when it is hidden)
    if letter.measure_id:
        case_for_user(user, measure_pk=letter.measure_id)
    else:
        case_for_user(user, dossier_pk=letter.dossier_id)
    return letter


def get_template_for_admin(user: User, pk: object) -> LetterTemplate:
    if not user.has_perm(VIEW_TEMPLATE):
        raise Http404
    try:
        pk_int = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404
    template = LetterTemplate.objects.filter(pk=pk_int).first()
    if template is None:
        raise Http404
    return template
