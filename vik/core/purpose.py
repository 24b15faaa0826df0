"""Purpose binding: searching for or opening a person, organisation or address needs a purpose,
either a case the user may see (signal, measure, Bibob dossier, meeting) or a stated reason.

The purpose is kept in the session as the user's *werkcontext* and shown in the header; every
access-log row carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, PurposeRequired
from .registry import registry

SESSION_KEY = "vik_purpose"
MIN_REASON = 10


@dataclass(frozen=True)
class Purpose:
    case_kind: str = ""
    case_id: int | None = None
    reason: str = ""
    label: str = ""

    def __str__(self) -> str:
        return self.label


def purpose_set(*, request, case_kind: str = "", case_id: int | None = None, reason: str = "") -> Purpose:
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
        purpose = Purpose(case_kind, case_id, reason, label + (f" ({reason})" if reason else ""))
    else:
        if len(reason) < MIN_REASON:
            raise ApplicationError(
                _("Geef een zaak op of beschrijf het doel in ten minste %(n)s tekens.") % {"n": MIN_REASON},
                field="reason",
            )
        purpose = Purpose(reason=reason, label=_("Reden: %(r)s") % {"r": reason[:250]})
    request.session[SESSION_KEY] = {
        "case_kind": purpose.case_kind,
        "case_id": purpose.case_id,
        "reason": purpose.reason,
        "label": purpose.label,
    }
    return purpose


def purpose_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)


def current_purpose(request) -> Purpose | None:
    data = request.session.get(SESSION_KEY) if request is not None else None
    if not data:
        return None
    return Purpose(**data)


def require_purpose(request) -> Purpose:
    purpose = current_purpose(request)
    if purpose is None:
        raise PurposeRequired(
            _(
                "Geef eerst een doel op (een zaak of een reden) voordat u personen, organisaties of adressen zoekt of opent."
            )
        )
    return purpose
