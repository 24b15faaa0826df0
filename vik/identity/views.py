"""Sign-in with the municipal IdP (mozilla-django-oidc's views with VIK's checks and messages)
and the access review pages. Thin: the work is in ``oidc``, ``services`` and ``selectors``."""

from __future__ import annotations

import logging
import time

from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vik.core.exceptions import ApplicationError
from vik.core.forms import LoginForm

from . import oidc, selectors, services
from .forms import ReviewDecisionForm
from .models import IdpMfaDevice
from .oidc import OidcRefused
from .permissions import get_line_for_decision, require_review_page

logger = logging.getLogger("vik.identity")
SESSION_KEY = "vik_oidc"


def _refused(request, exc: OidcRefused):
    status = 503 if isinstance(exc, oidc.OidcUnavailable) else 400
    return render(request, "core/login.html", {"form": LoginForm(), "error": exc.message}, status=status)


class OidcLoginView(OIDCAuthenticationRequestView):
    """Redirect to the IdP: authorization code flow with PKCE (S256), state and nonce kept in the
    server-side session."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider()["authorization_endpoint"]
        except OidcRefused as exc:
            logger.warning("oidc: login not started: %s", exc.reason)
            return _refused(request, exc)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        params = {}
        if settings.OIDC_MFA_ACR_VALUES:
            params["acr_values"] = " ".join(settings.OIDC_MFA_ACR_VALUES)
        return params


class OidcCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not oidc.enabled():
            raise Http404
        if request.GET.get("error"):
            logger.warning("oidc: IdP returned error: %s", str(request.GET.get("error"))[:40])
        try:
            return super().get(request)
        except SuspiciousOperation:
            logger.warning("oidc: login refused: unknown_state")
            return _refused(request, OidcRefused("unknown_state"))

    def login_failure(self):
        exc = getattr(self.request, "vik_oidc_refusal", None)
        if exc is None:
            reason = "idp_error" if self.request.GET.get("error") else "no_state_in_session"
            logger.warning("oidc: login refused: %s", reason)
            exc = OidcRefused(reason)
        return _refused(self.request, exc)

    def login_success(self):
        request = self.request
        tokens = request.vik_oidc_tokens
        auth.login(request, self.user)  # rotates the session key
        now = int(time.time())
        request.session["vik_started"] = now
        request.session["vik_last"] = now
        mfa = oidc.mfa_satisfied(tokens.claims)
        request.session[SESSION_KEY] = {
            "sub": tokens.claims["sub"],
            "id_token": tokens.id_token,
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "checked": now,
            "mfa": "idp" if mfa else "totp",
        }
        nxt = request.session.get("oidc_login_next")
        logger.info("oidc: login", extra={"user_id": self.user.pk, "mfa": "idp" if mfa else "totp"})
        if mfa:
            device, _created = IdpMfaDevice.objects.get_or_create(
                user=self.user, name="gemeente", defaults={"confirmed": True}
            )
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(nxt or "core:home")
        # The IdP did not vouch for a second factor: VIK's own TOTP step, as for local accounts.
        request.session["vik_next"] = nxt
        if not TOTPDevice.objects.filter(user=self.user, confirmed=True).exists():
            return redirect("core:otp_enrol")
        return redirect("core:otp_verify")


class ReviewListView(View):
    def get(self, request):
        require_review_page(request.user)
        return render(
            request,
            "identity/review.html",
            {
                "lines": selectors.review_lines_for(user=request.user)[:500],
                "flagged": selectors.flagged_lines_for(user=request.user)[:500],
                "form": ReviewDecisionForm(),
            },
        )


class ReviewDecideView(View):
    def post(self, request, pk):
        line = get_line_for_decision(request.user, pk)
        form = ReviewDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.access_review_decide(
                    actor=request.user,
                    line=line,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Uw beslissing is vastgelegd."))
        else:
            messages.error(request, _("Kies bevestigen of intrekken; geef bij intrekken een reden."))
        return redirect("identity:review")
