"""The one access module of the subjects app: every single-record read goes through here.

A record the user may not see answers 404 (never 403), so existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from vik.core.access import can_use_model, get_for_user
from vik.core.models import User

from .constants import SubjectKind
from .models import Address, Link, MergeRecord, Organisation, Person, SubjectBase, Vehicle

MERGE_PERMISSION = "subjects.merge_subject"

# URL slugs (Dutch) of the four kinds.
KIND_SLUGS = {
    "persoon": SubjectKind.PERSON,
    "organisatie": SubjectKind.ORGANISATION,
    "adres": SubjectKind.ADDRESS,
    "voertuig": SubjectKind.VEHICLE,
}
SLUG_OF = {v: k for k, v in KIND_SLUGS.items()}
MODELS = {
    SubjectKind.PERSON: Person,
    SubjectKind.ORGANISATION: Organisation,
    SubjectKind.ADDRESS: Address,
    SubjectKind.VEHICLE: Vehicle,
}


def get_subject_for_user(
    user: User,
    kind: str,
    pk: object,
    *,
    annotations: dict[str, Any] | None = None,
    allow_break_glass: bool = True,
) -> SubjectBase:
    """THE way to load a subject by kind (person, organisation, address, vehicle) with its access
    check, for every app: the record with its owning team, or ``Http404`` (an unknown kind too;
    a refusal writes a ``denied`` access-log row). ``annotations`` let a page fetch what it needs
    about the record (its merges) in the same query; ``allow_break_glass=False`` for writes that
    link the record to a case (break-glass is for reading only)."""
    model = MODELS.get(kind)  # type: ignore[call-overload]
    if model is None:
        raise Http404
    qs = model.objects.select_related("owner_team")
    if annotations:
        qs = qs.annotate(**annotations)
    return get_for_user(qs, user, pk, allow_break_glass=allow_break_glass)


def get_link_for_user(user: User, pk: object) -> Link:
    return get_for_user(Link, user, pk, allow_break_glass=False)


def can_view_subjects(user: User) -> bool:
    return can_use_model(user, Person)


def _model(kind: str):
    return Link if kind == "link" else MODELS[kind]  # type: ignore[index]


def can_add(user: User, kind: str) -> bool:
    """``kind`` is one of the four subject kinds or ``"link"``."""
    return can_use_model(user, _model(kind), "add")


def can_change(user: User, kind: str) -> bool:
    return can_use_model(user, _model(kind), "change")


def can_merge(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MERGE_PERMISSION))


def get_merge_for_user(user: User, pk: object) -> MergeRecord:
    """A merge record is visible to a merge-permitted user who may see both records it joined."""
    if not can_merge(user):
        raise Http404
    try:
        merge = MergeRecord.objects.get(pk=int(pk))  # type: ignore[arg-type]
    except (MergeRecord.DoesNotExist, TypeError, ValueError):
        raise Http404
    get_subject_for_user(user, merge.kind, merge.survivor_id)
    get_subject_for_user(user, merge.kind, merge.duplicate_id)
    return merge
