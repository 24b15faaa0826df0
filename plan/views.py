"""Thin views of the plan app: the overview per ambition, adding an action, recording progress."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vik.core.exceptions import ApplicationError

from . import selectors, services
from .forms import ActionForm, ProgressForm
from .permissions import ADD, CHANGE, VIEW, get_action_for_change, require_perm


class OverviewView(View):
    def get(self, request):
        require_perm(request.user, VIEW)
        today = timezone.localdate()
        return render(
            request,
            "plan/overview.html",
            {
                "rows": selectors.overview(today),
                "today": today,
                "may_add": request.user.has_perm(ADD),
                "may_change": request.user.has_perm(CHANGE),
            },
        )


class ActionCreateView(View):
    def get(self, request):
        require_perm(request.user, ADD)
        return render(request, "plan/action_form.html", {"form": ActionForm()})

    def post(self, request):
        require_perm(request.user, ADD)
        form = ActionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.action_create(actor=request.user, **d)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("De actie is toegevoegd."))
                return redirect("plan:overview")
        return render(request, "plan/action_form.html", {"form": form}, status=400)


class ActionProgressView(View):
    def get(self, request, pk):
        action = get_action_for_change(request.user, pk)
        form = ProgressForm(initial={"status": action.status})
        return render(request, "plan/action_progress.html", {"action": action, "form": form})

    def post(self, request, pk):
        action = get_action_for_change(request.user, pk)
        form = ProgressForm(request.POST)
        if form.is_valid():
            try:
                services.action_update(actor=request.user, action=action, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("De voortgang is vastgelegd."))
                return redirect("plan:overview")
        return render(request, "plan/action_progress.html", {"action": action, "form": form}, status=400)
