"""Session refresh: every OIDC_REFRESH_SECONDS (15 min) VIK re-checks a municipal session with
the IdP (refresh grant, then userinfo). Roles and team follow the new claims; a user disabled or
signed out at the IdP, or an IdP that cannot be reached, ends the session (fail closed)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import oidc
from .oidc import OidcRefused
from .views import SESSION_KEY

logger = logging.getLogger("vik.identity")


def refresh_session(request) -> None:
    from .services import oidc_user_sync

    data = request.session[SESSION_KEY]
    tokens = oidc.refresh(
        refresh_token=data.get("refresh_token", ""),
        access_token=data.get("access_token", ""),
        sub=data["sub"],
        id_token=data.get("id_token", ""),
    )
    claims = tokens.all_claims
    if settings.OIDC_GROUPS_CLAIM not in claims and not tokens.new_id_token:
        # No new ID token and a userinfo without groups (some IdPs put groups only in ID tokens):
        # keep the last known groups rather than dropping every role. A new ID token without
        # groups does mean "no groups".
        from .models import OidcIdentity

        last = OidcIdentity.objects.filter(user=request.user).values_list("last_groups", flat=True).first()
        claims[settings.OIDC_GROUPS_CLAIM] = last or []
    user = oidc_user_sync(claims=claims, iss=oidc.issuer())
    if user.pk != request.user.pk:
        raise OidcRefused("refresh_other_user")
    # The request's user (django-otp marked it verified) picks up the new roles and team.
    request.user.refresh_from_db()
    for cached in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_vik_group_pairs"):
        request.user.__dict__.pop(cached, None)
    request.session[SESSION_KEY] = {
        **data,
        "id_token": tokens.id_token,
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "checked": int(time.time()),
    }


class OidcSessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SESSION_KEY in request.session:
            data = request.session[SESSION_KEY]
            if int(time.time()) - int(data.get("checked", 0)) >= settings.OIDC_REFRESH_SECONDS:
                try:
                    refresh_session(request)
                except OidcRefused as exc:
                    logger.warning(
                        "oidc: session ended at refresh: %s", exc.reason, extra={"user_id": user.pk}
                    )
                    logout(request)
                    return redirect(f"{reverse('core:login')}?verlopen=1")
        return self.get_response(request)


def logout_redirect_url(request) -> str | None:
    """Where to send the browser after VIK's own logout: the IdP's end-session endpoint for a
    municipal session (RP-initiated logout), None for a local one. Read before auth.logout."""
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not data or not oidc.enabled():
        return None
    return oidc.end_session_url(
        id_token=data.get("id_token", ""),
        post_logout_redirect_uri=request.build_absolute_uri(reverse("core:login")),
    )
