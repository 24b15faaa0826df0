"""Two ways in, no session cookies: an OAuth2 bearer token (client credentials) from the municipal
IdP, checked against its JWKS, or a per-organisation API key (``Authorization: ApiKey <key>`` or
``X-API-Key``). Both resolve to an :class:`ApiClient`; ``request.user`` becomes its service account
and ``request.auth`` an :class:`ApiAuth` with the scopes granted for this request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jwt
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from django.conf import settings
from django.utils.translation import gettext as _

from .models import ApiClient
from .services import client_for_key


@dataclass(frozen=True)
class ApiAuth:
    client: ApiClient
    scopes: frozenset[str]
    method: str  # "apikey" or "oauth2"


def _refuse(detail: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(detail)


def _live(client: ApiClient | None) -> ApiClient:
    if client is None or not client.active:
        raise _refuse(_("De API-sleutel is onbekend, verlopen of ingetrokken."))
    return client


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.headers.get("authorization", "")
        key = ""
        if header[:7].lower() == "apikey ":
            key = header[7:].strip()
        elif request.headers.get("x-api-key"):
            key = request.headers["x-api-key"].strip()
        if not key:
            return None
        client = _live(client_for_key(key))
        return client.user, ApiAuth(client, frozenset(client.scopes), "apikey")

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="vik", ApiKey'


class _TracedJWKClient(jwt.PyJWKClient):
    """A JWKS fetch is an outgoing call: it carries the request's trace (a child span)."""

    def fetch_data(self):
        from vik.core.tracing import outgoing_headers

        self.headers = {**(self.headers or {}), **outgoing_headers()}
        return super().fetch_data()


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return _TracedJWKClient(url, cache_keys=True, lifespan=300, timeout=5)


class BearerTokenAuthentication(BaseAuthentication):
    """JWT access tokens of the municipal IdP (``API_OAUTH_*`` settings, separate from the
    login's OIDC settings): signature by a key of the JWKS, ``iss``, ``aud``, ``exp``/``nbf``;
    the client is found by ``azp``/``client_id``; scopes are the token's ``scope``/``scp``
    intersected with what the functional admin granted the client."""

    def authenticate(self, request):
        header = request.headers.get("authorization", "")
        if header[:7].lower() != "bearer ":
            return None
        token = header[7:].strip()
        issuer = getattr(settings, "API_OAUTH_ISSUER", "")
        jwks_url = getattr(settings, "API_OAUTH_JWKS_URL", "")
        if not issuer or not jwks_url:
            raise _refuse(_("Deze VIK-installatie accepteert geen OAuth2-tokens."))
        try:
            signing_key = _jwks_client(jwks_url).get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                signing_key.key,
                algorithms=list(settings.API_OAUTH_ALGORITHMS),
                audience=settings.API_OAUTH_AUDIENCE,
                issuer=issuer,
                leeway=30,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise _refuse(_("Het token is verlopen."))
        except jwt.InvalidAudienceError:
            raise _refuse(_("Het token is niet voor deze API bestemd (audience)."))
        except jwt.InvalidIssuerError:
            raise _refuse(_("Het token komt niet van de gemeentelijke identity provider."))
        except (jwt.PyJWKClientError, jwt.InvalidTokenError):
            raise _refuse(_("Het token is ongeldig."))
        client_id = str(claims.get("azp") or claims.get("client_id") or "")
        client = None
        if client_id:
            client = (
                ApiClient.objects.select_related("user", "organisation")
                .filter(oauth_client_id=client_id)
                .first()
            )
        if client is None or not client.active:
            raise _refuse(_("Deze client is bij VIK niet (meer) bekend."))
        raw = claims.get("scope", claims.get("scp", ""))
        granted = set(raw.split() if isinstance(raw, str) else raw or [])
        return client.user, ApiAuth(client, frozenset(granted & set(client.scopes)), "oauth2")

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="vik"'
