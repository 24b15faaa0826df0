"""Break-glass: the privacy officer opens one record with a recorded reason, from the 404 page
of that record (the "wie heeft ingezien" page lives in ``vik.privacy.supervision``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ..exceptions import ApplicationError
from ..forms import BreakGlassRequestForm
from ..purpose import purpose_set
from ..services import break_glass_open


class BreakGlassOpenView(View):
    """The privacy officer opens one record with a recorded reason (reached from the 404 page of
    that record). The grant, its log row and the chair's notification come from
    :func:`vik.core.services.break_glass_open`; the reason also becomes the work purpose, so
    that the record's page (which asks for one) opens at once."""

    def post(self, request):
        if not can_break_glass(request.user):
            raise Http404
        form = BreakGlassRequestForm(request.POST)
        nxt = _safe_next(request, request.POST.get("next", ""))
        if form.is_valid():
            obj = break_glass_target(form.cleaned_data["kind"], form.cleaned_data["object_id"])
            if obj is None:
                raise Http404
            try:
                grant = break_glass_open(
                    actor=request.user, obj=obj, reason=form.cleaned_data["reason"], request=request
                )
            except ApplicationError as exc:
                form.add_error("reason" if exc.field == "reason" else None, exc.message)
            else:
                purpose_set(request=request, reason=f"Break-glass: {grant.reason}")
                messages.warning(
                    request,
                    _(
                        "Break-glass geopend tot %(t)s. De voorzitter is ingelicht; uw inzage wordt vastgelegd."
                    )
                    % {"t": timezone.localtime(grant.expires_at).strftime("%H:%M")},
                )
                return redirect(nxt or "core:home")
        return render(request, "core/break_glass_404.html", {"form": form, "next": nxt}, status=400)


def can_break_glass(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("core.break_glass"))


def break_glass_target(kind: str, object_id: int):
    """The record a break-glass form names: only models under need-to-know."""
    from ..kinds import protected_model

    model = protected_model(kind)
    if model is None:
        return None
    return model._default_manager.filter(pk=object_id).first()


def _safe_next(request, nxt: str) -> str:
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""
