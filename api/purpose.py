"""The purpose of an API request (``X-VIK-Doel``): a case reference ``<kind>:<id>`` that the
client's account may see (``signal:12``, ``measure:3``, ``meeting:7``, ...) or a reason of at
least 10 characters. Same rules as the web's werkcontext (vik.core.purpose), but stateless:
nothing is kept in a session."""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.http import Http404
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.purpose import MIN_REASON, Purpose
from vik.core.registry import registry

HEADER = "X-VIK-Doel"
_CASE = re.compile(r"^([a-z_]+):(\d{1,12})$")


def api_purpose(request) -> Purpose:
    raw = request.headers.get("x-vik-doel", "")
    value = " ".join(unquote(raw).split())
    if not value:
        raise ApplicationError(
            _("Geef het doel op in de header X-VIK-Doel (een zaak als signal:12 of een reden)."),
            field=HEADER,
        )
    match = _CASE.match(value)
    if match and match.group(1) in registry.case_kinds:
        kind = registry.case_kinds[match.group(1)]
        case_id = int(match.group(2))
        try:
            obj = kind.resolve(request.user, case_id)
        except Http404:
            raise ApplicationError(_("Deze zaak bestaat niet of u heeft er geen toegang toe."), field=HEADER)
        label = f"API · {kind.label} {case_id}: {obj}"[:250]
        sub = str(getattr(obj, "kind", "") or "")[:40]
        return _with_activity(request, Purpose(match.group(1), case_id, "", label, case_sub=sub))
    if len(value) < MIN_REASON:
        raise ApplicationError(
            _("Geef een zaak op of beschrijf het doel in ten minste %(n)s tekens.") % {"n": MIN_REASON},
            field=HEADER,
        )
    return _with_activity(
        request, Purpose(reason=value, label=f"API · {_('Reden: %(r)s') % {'r': value[:240]}}")
    )


def _with_activity(request, purpose: Purpose) -> Purpose:
    """A purpose that belongs to no processing activity is refused; otherwise the access-log rows
    of this request take the purpose's activity (vik.core.accesslog)."""
    from vik.core.purpose import NO_ACTIVITY
    from vik.core.register import activity_for_keys, purpose_keys

    if activity_for_keys(purpose_keys(purpose)) is None:
        raise ApplicationError(str(NO_ACTIVITY), field=HEADER)
    request.vik_werkcontext = purpose
    return purpose
