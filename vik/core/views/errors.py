from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from ..exceptions import RecordHidden


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    """A plain 404; for a record the user may not see, a holder of ``core.break_glass`` (the
    privacy officer) also gets the break-glass form for exactly that record."""
    if isinstance(exception, RecordHidden):
        from ..forms import BreakGlassRequestForm
        from .privacy import can_break_glass

        user = getattr(request, "user", None)
        if user is not None and can_break_glass(user) and user.is_verified():
            form = BreakGlassRequestForm(initial={"kind": exception.kind, "object_id": exception.object_id})
            return render(
                request,
                "core/break_glass_404.html",
                {"form": form, "next": request.get_full_path()},
                status=404,
            )
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page needs neither the database nor the cache: it is rendered without the request
    (no context processors, no user or session lookup), so it still answers when PostgreSQL or
    Redis is what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render(), content_type="text/html")
