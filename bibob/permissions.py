"""The one access module of the Bibob app. Dossiers live in the sealed ``bibob`` compartment:
``vik.core.access`` answers 404 to anyone without the clearance, the role permission or a share,
and every other Bibob record is reached only through its dossier."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from vik.core import access
from vik.core.models import User

from .models import BibobDossier

PERM_VIEW = "bibob.view_bibobdossier"
PERM_ADD = "bibob.add_bibobdossier"
PERM_CHANGE = "bibob.change_bibobdossier"
PERM_DECIDE = "bibob.decide"
PERM_DISCLOSE = "bibob.disclose"


def dossier_queryset():
    return BibobDossier.objects.select_related("owner_team", "decider", "investigator")


def get_dossier_for_user(user: User, pk: object, *, queryset: QuerySet | None = None) -> BibobDossier:
    """The dossier if ``user`` may see it, else Http404 (never 403: existence stays secret).
    Break-glass does not open the Bibob compartment: art. 28 allows no such recipient.
    ``queryset`` (of dossiers) lets a page load what it shows in the same query."""
    qs = queryset if queryset is not None else dossier_queryset()
    return access.get_for_user(qs, user, pk, allow_break_glass=False)


def get_dossier_for_change(user: User, pk: object, perm: str = PERM_CHANGE) -> BibobDossier:
    """The dossier for a write: 404 when invisible, and 404 too when visible but the action is not
    the user's (a decision maker may see but not edit; a specialist may edit but not decide):
    record-level refusals answer 404 everywhere (docs/authorization.md), and are logged."""
    dossier = get_dossier_for_user(user, pk)
    if not user.has_perm(perm):
        from vik.core.accesslog import log_denied

        log_denied(user=user, obj_kind="bibob.bibobdossier", object_id=pk, detail=f"{perm} {pk}")
        raise Http404
    return dossier


def can_see_bibob(user: User) -> bool:
    return access.can_use_model(user, BibobDossier) and "bibob" in access.clearances(user)
