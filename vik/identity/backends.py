"""The mozilla-django-oidc backend, made strict: VIK's own ID token check (``oidc.py``), users
matched on (issuer, sub) and never on e-mail, roles and team from the mapping table."""

from __future__ import annotations

import logging

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from django.contrib.auth import get_user_model
from django.urls import reverse

from . import oidc
from .oidc import OidcRefused

logger = logging.getLogger("vik.identity")


class VikOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The stock constructor reads endpoint settings; VIK takes them from discovery, lazily,
        # so that a local (partner) login never waits for the IdP.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        """Only from the callback view (which passes the session's nonce and PKCE verifier)."""
        if request is None or "nonce" not in kwargs or not oidc.enabled():
            return None
        code = request.GET.get("code")
        if not code or not request.GET.get("state"):
            return None
        from .services import oidc_user_sync

        try:
            tokens = oidc.exchange_code(
                code=code,
                redirect_uri=request.build_absolute_uri(reverse("identity:oidc_callback")),
                nonce=kwargs.get("nonce"),
                code_verifier=kwargs.get("code_verifier"),
            )
            user = oidc_user_sync(claims=tokens.all_claims, iss=oidc.issuer())
        except OidcRefused as exc:
            logger.warning("oidc: login refused: %s", exc.reason)
            request.vik_oidc_refusal = exc
            return None
        request.vik_oidc_tokens = tokens
        return user if self.user_can_authenticate(user) else None

    def get_user(self, user_id):
        user = self.UserModel._default_manager.select_related("org_unit").filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    def get_all_permissions(self, user_obj, obj=None):
        return set()  # permissions come from VikModelBackend (listed after this one)


def axes_skip_oidc(request, credentials) -> bool:
    """django-axes counts password guesses per username. An OIDC callback carries no username
    (only the session's nonce): counting it would lock every municipal login at once."""
    return bool(credentials) and "nonce" in credentials and not credentials.get("username")
