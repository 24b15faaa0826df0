from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from .. import health
from ..exceptions import ApplicationError
from ..forms import PurposeForm
from ..purpose import purpose_clear, purpose_set
from ..registry import registry


def healthz(request):
    state = health.check()
    serving = all(state[part]["ok"] for part in health.REQUIRED)
    ok = serving and all(part["ok"] for part in state.values())
    # 503 only when VIK cannot serve; an optional part down (the read replica) is "degraded", 200.
    return JsonResponse({"status": "ok" if ok else "degraded", **state}, status=200 if serving else 503)


class HomeView(View):
    def get(self, request):
        widgets = []
        for provider in registry.dashboards:
            widget = provider(request.user)
            if widget:
                widgets.append(widget)
        notes = request.user.notifications.filter(read_at__isnull=True)[:10]
        return render(request, "core/home.html", {"widgets": widgets, "notes": notes})


class PurposeSetView(View):
    def get(self, request):
        return render(
            request,
            "core/purpose.html",
            {"form": PurposeForm(initial=request.GET), "next": request.GET.get("next", "")},
        )

    def post(self, request):
        if "clear" in request.POST:
            purpose_clear(request)
            messages.info(request, _("Het doel is gewist."))
            return redirect("core:home")
        form = PurposeForm(request.POST)
        nxt = request.POST.get("next", "")
        if form.is_valid():
            try:
                purpose_set(
                    request=request,
                    case_kind=form.cleaned_data["case_kind"],
                    case_id=form.cleaned_data["case_id"],
                    reason=form.cleaned_data["reason"],
                    category=form.cleaned_data["category"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Doel vastgelegd."))
                if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                    return redirect(nxt)
                return redirect("core:home")
        return render(request, "core/purpose.html", {"form": form, "next": nxt}, status=400)


class NotificationListView(View):
    def get(self, request):
        notes = request.user.notifications.all()[:200]
        return render(request, "core/notifications.html", {"notes": notes})

    def post(self, request):
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notifications")
