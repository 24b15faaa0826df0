"""User management pages for the functional admin, and the approval page for the second person.
Thin: each POST calls one service of :mod:`vik.core.users`; refusals answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import users as svc
from ..exceptions import ApplicationError
from ..forms import ClearanceRequestForm, GrantDecisionForm, ReasonForm, RoleRequestForm, UserForm


def _add_error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class _ManageUsers(View):
    def dispatch(self, request, *args, **kwargs):
        if not svc.can_manage_users(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def target(self, pk):
        user = svc.get_managed_user(pk)
        if user is None:
            raise Http404
        return user


class UserListView(_ManageUsers):
    def get(self, request):
        q = (request.GET.get("q") or "").strip()[:100]
        return render(request, "core/users/list.html", {"users": svc.user_list(q=q), "q": q})


class UserCreateView(_ManageUsers):
    def get(self, request):
        return render(request, "core/users/form.html", {"form": UserForm(), "creating": True})

    def post(self, request):
        form = UserForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = svc.user_create(
                    actor=request.user,
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    org_unit=data["org_unit"],
                )
            except ApplicationError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("Het account is aangemaakt, zonder rollen en zonder wachtwoord."))
                return redirect("core:user_detail", pk=user.pk)
        return render(request, "core/users/form.html", {"form": form, "creating": True}, status=400)


class UserEditView(_ManageUsers):
    def get(self, request, pk):
        user = self.target(pk)
        form = UserForm(
            editing=True,
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "org_unit": user.org_unit_id,
            },
        )
        return render(request, "core/users/form.html", {"form": form, "target": user})

    def post(self, request, pk):
        user = self.target(pk)
        form = UserForm(request.POST, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                svc.user_update(
                    actor=request.user,
                    user=user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    org_unit=data["org_unit"],
                    reason=data["reason"],
                )
            except ApplicationError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("De gegevens zijn opgeslagen."))
                return redirect("core:user_detail", pk=user.pk)
        return render(request, "core/users/form.html", {"form": form, "target": user}, status=400)


class UserDetailView(_ManageUsers):
    """The account page; its forms post here with ``action`` naming the one service to call."""

    def forms(self, user, data=None, action=""):
        def bound(name, cls, **kw):
            return cls(data if action == name else None, prefix=name, **kw)

        revoke_role = bound("role_revoke", RoleRequestForm)
        revoke_role.fields["group"].queryset = user.groups.order_by("name")
        revoke_clearance = bound("clearance_revoke", ClearanceRequestForm)
        revoke_clearance.fields["clearance"].choices = [
            (c, label) for c, label in revoke_clearance.fields["clearance"].choices if c in user.clearances
        ]
        return {
            "role_request": bound("role_request", RoleRequestForm),
            "role_revoke": revoke_role,
            "clearance_request": bound("clearance_request", ClearanceRequestForm),
            "clearance_revoke": revoke_clearance,
            "deactivate": bound("deactivate", ReasonForm),
            "activate": bound("activate", ReasonForm),
        }

    def page(self, request, user, forms, status=200):
        context = {
            "target": user,
            "forms": forms,
            "is_self": user.pk == request.user.pk,
            **svc.user_overview(user=user),
        }
        return render(request, "core/users/detail.html", context, status=status)

    def get(self, request, pk):
        user = self.target(pk)
        return self.page(request, user, self.forms(user))

    def post(self, request, pk):
        user = self.target(pk)
        action = request.POST.get("action", "")
        if action == "password_reset":
            try:
                svc.password_reset_send(actor=request.user, user=user, request=request)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("De gebruiker krijgt een e-mail met een link om zelf een wachtwoord in te stellen."),
                )
            return redirect("core:user_detail", pk=user.pk)
        forms = self.forms(user, request.POST, action)
        form = forms.get(action)
        if form is None:
            messages.error(request, _("Kies wat u wilt vastleggen."))
            return self.page(request, user, forms, status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                message = self.act(request, user, action, data)
            except ApplicationError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("core:user_detail", pk=user.pk)
        return self.page(request, user, forms, status=400)

    def act(self, request, user, action, data) -> str:
        actor, reason = request.user, data["reason"]
        if action == "role_request":
            grant = svc.role_grant_request(actor=actor, user=user, group=data["group"], reason=reason)
            return _granted_or_pending(grant)
        if action == "clearance_request":
            grant = svc.clearance_grant_request(
                actor=actor, user=user, clearance=data["clearance"], reason=reason
            )
            return _granted_or_pending(grant)
        if action == "role_revoke":
            svc.role_revoke(actor=actor, user=user, group=data["group"], reason=reason)
            return _("De rol is ingetrokken.")
        if action == "clearance_revoke":
            svc.clearance_revoke(actor=actor, user=user, clearance=data["clearance"], reason=reason)
            return _("Het compartiment is ingetrokken.")
        if action == "deactivate":
            svc.user_deactivate(actor=actor, user=user, reason=reason)
            return _("Het account is gedeactiveerd; een open sessie eindigt bij het volgende verzoek.")
        svc.user_activate(actor=actor, user=user, reason=reason)
        return _("Het account is weer actief.")


def _granted_or_pending(grant) -> str:
    if grant.status == grant.Status.APPROVED:
        return _("Toegekend: %(what)s.") % {"what": grant.what}
    return _(
        "Aangevraagd: %(what)s. Een tweede persoon (privacy officer of andere beheerder) moet dit goedkeuren."
    ) % {"what": grant.what}


class GrantRequestListView(View):
    """Pending role and clearance requests, for the second person to decide."""

    def dispatch(self, request, *args, **kwargs):
        if not svc.can_decide_grants(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, form=None, failed_id=None, status=200):
        return render(
            request,
            "core/users/grant_requests.html",
            {
                "pending": svc.grant_requests_pending(),
                "decided": svc.grant_requests_decided(limit=50),
                "form": form or GrantDecisionForm(),
                "failed_id": failed_id,
            },
            status=status,
        )

    def get(self, request):
        return self.page(request)

    def post(self, request):
        form = GrantDecisionForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        grant = svc.get_grant_request(form.cleaned_data["request_id"])
        if grant is None:
            raise Http404
        try:
            svc.grant_request_decide(
                actor=request.user,
                request=grant,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            _add_error(form, exc)
            return self.page(request, form, failed_id=grant.pk, status=400)
        messages.success(
            request,
            _("Goedgekeurd: de wijziging geldt vanaf het volgende verzoek van de gebruiker.")
            if form.cleaned_data["approve"]
            else _("Afgewezen."),
        )
        return redirect("core:grant_requests")
