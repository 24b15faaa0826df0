"""Error pages in the normal layout (menu, header, a way back). A refusal for a partner
organisation's user answers 404 everywhere, never 403: a partner must not learn that a record
exists that it may not see."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from ..constants import OrgKind
from ..exceptions import RecordHidden


def _is_partner(user) -> bool:
    unit = getattr(user, "org_unit", None) if getattr(user, "is_authenticated", False) else None
    return unit is not None and unit.kind == OrgKind.PARTNER


def _context(request) -> dict:
    """A way back: the previous page when it is one of ours."""
    back = request.headers.get("referer", "")
    ok = back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return {"back": back if ok and back != request.build_absolute_uri() else ""}


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def forbidden(request, exception=None):
    if _is_partner(getattr(request, "user", None)):
        return not_found(request, exception)
    return render(request, "403.html", _context(request), status=403)


def not_found(request, exception=None):
    """A plain 404; for a record the user may not see, a holder of ``core.break_glass`` (the
    privacy officer) also gets the break-glass form for exactly that record."""
    if isinstance(exception, RecordHidden):
        from ..forms import BreakGlassRequestForm
        from .breakglass import can_break_glass

        user = getattr(request, "user", None)
        if user is not None and can_break_glass(user) and user.is_verified():
            form = BreakGlassRequestForm(initial={"kind": exception.kind, "object_id": exception.object_id})
            return render(
                request,
                "core/break_glass_404.html",
                {"form": form, "next": request.get_full_path(), **_context(request)},
                status=404,
            )
    return render(request, "404.html", _context(request), status=404)


def server_error(request):
    """The 500 page needs neither the database nor the cache: it is rendered without the request
    (no context processors, no user or session lookup), so it still answers when PostgreSQL or
    Redis is what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render(), content_type="text/html")
