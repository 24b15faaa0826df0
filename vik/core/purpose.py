"""Purpose binding: searching for or opening a person, organisation or address needs a purpose,
either a case the user may see (signal, measure, Bibob dossier, meeting) or a stated reason.

The purpose is kept in the session as the user's *werkcontext* and shown in the header; every
access-log row carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import ReasonCategory
from .exceptions import ApplicationError, PurposeRequired, PurposeWithoutActivity
from .registry import registry

SESSION_KEY = "vik_purpose"
MIN_REASON = 10


@dataclass(frozen=True)
class Purpose:
    case_kind: str = ""
    case_id: int | None = None
    reason: str = ""
    label: str = ""
    # the category of a stated reason and the sub-kind of a case (a measure's kind): together
    # with case_kind they name the processing activity (vik.core.register.purpose_keys)
    category: str = ""
    case_sub: str = ""

    def __str__(self) -> str:
        return self.label


NO_ACTIVITY = gettext_lazy(
    "Dit doel hoort bij geen verwerkingsactiviteit in het verwerkingsregister. Kies een ander doel;"
    " de privacy officer kan het doel aan een verwerkingsactiviteit koppelen."
)


def purpose_set(
    *, request, case_kind: str = "", case_id: int | None = None, reason: str = "", category: str = ""
) -> Purpose:
    from .register import activity_for_keys, purpose_keys

    reason = " ".join((reason or "").split())
    if case_kind:
        kind = registry.case_kinds.get(case_kind)
        if kind is None:
            raise ApplicationError(_("Onbekend soort zaak."), field="case_kind")
        if case_id is None:
            raise ApplicationError(_("Geef het nummer van de zaak op."), field="case_id")
        try:
            obj = kind.resolve(request.user, case_id)
        except Http404:
            raise ApplicationError(
                _("Deze zaak bestaat niet of u heeft er geen toegang toe."), field="case_id"
            )
        label = f"{kind.label} {case_id}: {obj}"[:250]
        sub = str(getattr(obj, "kind", "") or "")[:40]
        purpose = Purpose(
            case_kind, case_id, reason, label + (f" ({reason})" if reason else ""), case_sub=sub
        )
    else:
        if len(reason) < MIN_REASON:
            raise ApplicationError(
                _("Geef een zaak op of beschrijf het doel in ten minste %(n)s tekens.") % {"n": MIN_REASON},
                field="reason",
            )
        category = category or ReasonCategory.ANALYSIS
        if category not in ReasonCategory.values:
            raise ApplicationError(_("Kies een soort reden."), field="category")
        purpose = Purpose(reason=reason, label=_("Reden: %(r)s") % {"r": reason[:250]}, category=category)
    if activity_for_keys(purpose_keys(purpose)) is None:
        raise ApplicationError(str(NO_ACTIVITY), field="category" if not case_kind else "case_kind")
    request.session[SESSION_KEY] = {
        "case_kind": purpose.case_kind,
        "case_id": purpose.case_id,
        "reason": purpose.reason,
        "label": purpose.label,
        "category": purpose.category,
        "case_sub": purpose.case_sub,
    }
    return purpose


def purpose_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)


def current_purpose(request) -> Purpose | None:
    data = request.session.get(SESSION_KEY) if request is not None else None
    if not data:
        return None
    fields = Purpose.__dataclass_fields__
    return Purpose(**{k: v for k, v in data.items() if k in fields})


def require_purpose(request) -> Purpose:
    purpose = current_purpose(request)
    if purpose is None:
        raise PurposeRequired(
            _(
                "Geef eerst een doel op (een zaak of een reden) voordat u personen, organisaties of adressen zoekt of opent."
            )
        )
    from .register import activity_for_keys, purpose_keys

    activity = activity_for_keys(purpose_keys(purpose))
    if activity is None:
        raise PurposeWithoutActivity(str(NO_ACTIVITY))
    if request is not None:
        request.vik_purpose_activity = activity
    return purpose
