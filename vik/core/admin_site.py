"""The Django admin site as VIK uses it: only for the functional admin's configuration work.

Everyone else gets a plain 404 on every admin URL (no login form, no hint that an admin exists):
a user needs ``is_staff`` *and* the staff role's ``core.manage_configuration`` permission. The
admin has no login page of its own: users sign in through VIK's login with the second factor."""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect


class VikAdminSite(admin.AdminSite):
    site_header = "VIK beheer"
    site_title = "VIK beheer"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and user.has_perm("core.manage_configuration")
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        if not self.has_permission(request):
            raise Http404
        return redirect("admin:index")
