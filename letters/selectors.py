"""Reads of the letters app; every list goes through ``permissions.letters_visible``."""

from __future__ import annotations

from django.db.models import QuerySet

from vik.core.models import User

from .constants import KINDS, LetterState
from .models import Letter, LetterTemplate
from .permissions import APPROVE_LETTER, CHECK_LETTER, letters_visible


def letters_to_check(user: User) -> QuerySet[Letter]:
    """Letters waiting for a second person's check that this user may check (not their own)."""
    if not user.has_perm(CHECK_LETTER):
        return Letter.objects.none()
    return (
        letters_visible(user)
        .filter(state=LetterState.TO_CHECK)
        .exclude(created_by=user)
        .select_related("measure", "dossier", "created_by")
        .order_by("submitted_at", "pk")
    )


def letters_to_sign(user: User) -> QuerySet[Letter]:
    if not user.has_perm(APPROVE_LETTER):
        return Letter.objects.none()
    return (
        letters_visible(user)
        .filter(state=LetterState.TO_SIGN, signatory=user)
        .select_related("measure", "dossier", "created_by", "checked_by")
        .order_by("checked_at", "pk")
    )


def my_open_letters(user: User) -> QuerySet[Letter]:
    return (
        letters_visible(user)
        .filter(created_by=user)
        .exclude(state=LetterState.SENT)
        .select_related("measure", "dossier")
        .order_by("-updated_at")
    )


def letters_of_measure(user: User, measure) -> QuerySet[Letter]:
    return letters_visible(user).filter(measure=measure).select_related("signatory").order_by("-created_at")


def suggested_kind(measure) -> str:
    """The letter kind that fits the measure's current step (the "Brief maken" preselection)."""
    for kind in KINDS.values():
        if kind.case == "measure" and measure.kind in kind.kinds and measure.state in kind.states:
            return kind.code
    return ""


def kinds_for_measure(measure) -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in KINDS.values() if k.case == "measure" and measure.kind in k.kinds]


def letters_of_dossier(user: User, dossier) -> QuerySet[Letter]:
    return letters_visible(user).filter(dossier=dossier).select_related("signatory").order_by("-created_at")


def kinds_for_dossier() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in KINDS.values() if k.case == "bibob"]


def suggested_kind_dossier(dossier) -> str:
    for kind in KINDS.values():
        if kind.case == "bibob" and dossier.status in kind.states:
            return kind.code
    return ""


def template_overview() -> list[dict]:
    rows = []
    versions: dict[str, list[LetterTemplate]] = {}
    for t in LetterTemplate.objects.select_related("uploaded_by").order_by("kind", "-version"):
        versions.setdefault(t.kind, []).append(t)
    for kind in KINDS.values():
        rows.append({"kind": kind, "versions": versions.get(kind.code, [])})
    return rows
