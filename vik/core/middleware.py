from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# URL names reachable without login, and those reachable logged in before the second factor.
PUBLIC_URL_NAMES = {
    "core:login",
    "healthz",
    "favicon",
    "set_language",
    # The user's own password reset (a one-time link by e-mail); the second factor still applies.
    "core:password_reset",
    "core:password_reset_done",
    "core:password_reset_confirm",
    "core:password_reset_complete",
    "identity:oidc_login",
    "identity:oidc_callback",
}
UNVERIFIED_URL_NAMES = {"core:otp_verify", "core:otp_enrol", "core:logout"}
# The API authenticates each request itself (api.authentication: bearer token or API key).
PUBLIC_PREFIXES = ("/static/", "/api/")


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


class SessionTimeoutMiddleware:
    """Idle timeout (15 min) and absolute lifetime (10 h), enforced server-side; a deactivated
    account's session ends at its next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.user.is_active:
            # Deactivation ends an open session at the next request, whichever authentication
            # backend made it (an SSO backend need not refuse inactive users when it loads one).
            logout(request)
            return redirect(reverse("core:login"))
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get("vik_started", now)
            last = request.session.get("vik_last", now)
            if (
                now - last > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                return redirect(f"{reverse('core:login')}?verlopen=1")
            if "vik_started" not in request.session:
                request.session["vik_started"] = started
            # Writing the session costs a query; a 30-second resolution is enough for a
            # 15-minute idle timeout.
            if now - last >= 30 or "vik_last" not in request.session:
                request.session["vik_last"] = now
        return self.get_response(request)


class RequireVerifiedMiddleware:
    """Every non-public URL requires a user who passed the TOTP second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        name = url_name(request.path_info)
        if name in PUBLIC_URL_NAMES:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            # The admin site is answered like an unknown URL (no ``next``): nothing hints that it exists.
            shown = name and not name.startswith("admin:")
            return redirect(
                f"{reverse('core:login')}?next={request.path}" if shown else reverse("core:login")
            )
        if not user.is_verified():
            if name in UNVERIFIED_URL_NAMES:
                return self.get_response(request)
            return redirect("core:otp_verify")
        if name and name.startswith("admin:") and not user.is_staff:
            # /beheer/ does not exist for anyone but staff (no login form, no redirect)
            raise Http404
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy, and no caching of
    any page shown to a logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            max_age = getattr(response, "vik_cache_private", None)
            if max_age:
                # Marked by a view as reference data without personal data or figures (the map's
                # buurt outlines): the user's own browser may keep it, no shared cache may.
                response["Cache-Control"] = f"private, max-age={int(max_age)}"
            else:
                response["Cache-Control"] = "no-store"
                response["Pragma"] = "no-cache"
        return response


class DeclaredDaysMiddleware:
    """Keeps the pure legal calendar's declared days (Atw art. 3(3)) in step with the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .calendar_sync import refresh_if_stale

        refresh_if_stale()
        return self.get_response(request)


# Path parameters that name a record (the first one found is logged with a refusal).
RECORD_KWARGS = ("pk", "attachment_pk", "fpk", "step_pk")


class RecordRefusalMiddleware:
    """Hostile input and refusals, handled once for every URL:

    - a NUL byte in the path answers 404, in a query parameter 400 (PostgreSQL cannot hold NUL
      in text: it would otherwise surface as a database error, a 500);
    - the request is bound for the access log, so that ``vik.core.access.get_for_user`` logs
      each refused record lookup with its IP and purpose;
    - a 403/404 answer to a signed-in user on a URL that names a record, for which no
      ``denied`` row was written yet (a role without any permission on the module, a forgotten
      check), still writes one: every refused record lookup is logged, for every role.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .views.errors import bad_request, not_found

        if "\x00" in request.path_info:
            self._log(request, detail="NUL in pad")
            return not_found(request)
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            self._log(request, detail="NUL in queryparameter")
            return bad_request(request)
        from .accesslog import bind_request, unbind_request

        token = bind_request(request)
        try:
            response = self.get_response(request)
        finally:
            unbind_request(token)
        if response.status_code in (403, 404) and not getattr(request, "_vik_denied_logged", False):
            match = getattr(request, "resolver_match", None)
            if match is not None and any(k in match.kwargs for k in RECORD_KWARGS):
                self._log(request, match=match)
        return response

    @staticmethod
    def _log(request, *, match=None, detail: str = "") -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return  # anonymous requests are sent to the login page; they write no rows
        from .accesslog import log_denied

        object_id = None
        if match is not None:
            object_id = next((match.kwargs[k] for k in RECORD_KWARGS if k in match.kwargs), None)
            detail = f"{match.view_name} {object_id}"
        log_denied(user=user, obj_kind="", object_id=object_id, request=request, detail=detail)
