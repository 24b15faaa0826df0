"""Error pages in the normal layout (menu, header, a way back). A refusal for a partner
organisation's user answers 404 everywhere, never 403: a partner must not learn that a record
exists that it may not see."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from ..constants import OrgKind


def _is_partner(user) -> bool:
    unit = getattr(user, "org_unit", None) if getattr(user, "is_authenticated", False) else None
    return unit is not None and unit.kind == OrgKind.PARTNER


def _context(request) -> dict:
    """A way back: the previous page when it is one of ours."""
    back = request.META.get("HTTP_REFERER", "")
    ok = back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return {"back": back if ok and back != request.build_absolute_uri() else ""}


def forbidden(request, exception=None):
    if _is_partner(getattr(request, "user", None)):
        return not_found(request, exception)
    return render(request, "403.html", _context(request), status=403)


def not_found(request, exception=None):
    return render(request, "404.html", _context(request), status=404)


def server_error(request):
    return render(request, "500.html", status=500)
