"""Per-endpoint scopes. Need-to-know itself is not decided here: the views call the apps' own
selectors and permission functions with the client's service account."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from django.utils.translation import gettext_lazy as _

from .authentication import ApiAuth


class HasScope(BasePermission):
    """The view declares ``required_scopes`` (a dict method -> scope, or one scope for all)."""

    message = _("Deze koppeling heeft niet de scope voor deze bewerking.")

    def has_permission(self, request, view) -> bool:
        auth = request.auth
        if not isinstance(auth, ApiAuth):
            return False
        wanted = view.required_scopes
        if isinstance(wanted, dict):
            wanted = wanted.get(request.method, wanted.get("GET"))
        return wanted in auth.scopes


def client_of(request):
    return request.auth.client
