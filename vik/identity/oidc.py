"""Talking to the municipal OpenID provider: discovery, the JWKS (cached, re-read when a token
names a key VIK does not know: key rotation), the full ID token check (signature, iss, aud/azp,
exp/iat, nonce, sub), the code exchange, refresh and userinfo.

Every refusal raises ``OidcRefused`` with a short reason code for the log and a Dutch message for
the user. Tokens and secrets never go into a log line or a URL VIK builds."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field

import jwt
import requests

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from vik.core.tracing import outgoing_headers

logger = logging.getLogger("vik.identity")

ALLOWED_ALGS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
DISCOVERY_TTL = 3600
JWKS_TTL = 3600
JWKS_MIN_REFETCH = 60  # seconds between forced re-reads on an unknown kid
LEEWAY = 60


class OidcRefused(Exception):
    """A login or refresh VIK refuses. ``reason`` is a code for the log; ``message`` is Dutch."""

    def __init__(self, reason: str, message: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.message = message or _(
            "Inloggen met uw gemeenteaccount is niet gelukt. Probeer het opnieuw of neem contact op met de servicedesk."
        )


class OidcUnavailable(OidcRefused):
    def __init__(self, reason: str = "idp_unreachable"):
        super().__init__(
            reason,
            _(
                "De inlogdienst van de gemeente is nu niet bereikbaar. Probeer het later opnieuw. "
                "Partners kunnen gewoon inloggen met gebruikersnaam en wachtwoord."
            ),
        )


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


def _get(url: str, *, headers: dict | None = None) -> requests.Response:
    """Every call to the IdP carries the W3C trace context of the request or job (a child span)."""
    headers = {**outgoing_headers(), **(headers or {})}
    try:
        response = requests.get(
            url, headers=headers, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL
        )
    except requests.RequestException:
        raise OidcUnavailable()
    return response


def provider() -> dict:
    """The discovery document (cached an hour). Its issuer must be the configured one."""
    key = "identity:discovery:" + hashlib.sha256(issuer().encode()).hexdigest()[:24]
    doc = cache.get(key)
    if doc is None:
        response = _get(issuer() + "/.well-known/openid-configuration")
        if response.status_code != 200:
            raise OidcUnavailable("discovery_failed")
        try:
            doc = response.json()
        except ValueError:
            raise OidcUnavailable("discovery_invalid")
        if not isinstance(doc, dict) or doc.get("issuer", "").rstrip("/") != issuer():
            raise OidcRefused("discovery_issuer_mismatch")
        cache.set(key, doc, DISCOVERY_TTL)
    return doc


def _jwks(force: bool = False) -> list[dict]:
    uri = provider()["jwks_uri"]
    key = "identity:jwks:" + hashlib.sha256(uri.encode()).hexdigest()[:24]
    stamp_key = key + ":fetched"
    keys = None if force else cache.get(key)
    if keys is None:
        if force and time.time() - (cache.get(stamp_key) or 0) < JWKS_MIN_REFETCH:
            keys = cache.get(key) or []
        else:
            response = _get(uri)
            if response.status_code != 200:
                raise OidcUnavailable("jwks_failed")
            try:
                keys = response.json()["keys"]
            except (ValueError, KeyError, TypeError):
                raise OidcUnavailable("jwks_invalid")
            cache.set(key, keys, JWKS_TTL)
            cache.set(stamp_key, time.time(), JWKS_TTL)
    return keys


def _matching_keys(keys: list[dict], kid: str | None, alg: str) -> list[dict]:
    found = []
    for jwk in keys:
        if jwk.get("use", "sig") != "sig":
            continue
        if kid is not None and jwk.get("kid") != kid:
            continue
        if "alg" in jwk and jwk["alg"] != alg:
            continue
        found.append(jwk)
    return found


def signing_keys(kid: str | None, alg: str, *, force: bool = False) -> list[dict]:
    """Keys that may have signed a token with this header. The JWKS is re-read when the kid is
    unknown (``force`` too, when no cached key verified: the IdP rotated its keys)."""
    found = [] if force else _matching_keys(_jwks(), kid, alg)
    if not found:
        found = _matching_keys(_jwks(force=True), kid, alg)
    return found


def _decode_with(token: str, alg: str, keys: list[dict]) -> tuple[dict | None, Exception | None]:
    """Claims from the first key whose signature verifies; refusals on the claims raise at once."""
    error: Exception | None = None
    for jwk in keys:
        try:
            key = jwt.PyJWK(jwk, algorithm=alg)
        except jwt.PyJWTError:
            continue
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=settings.OIDC_CLIENT_ID,
                issuer=issuer(),
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
            return claims, None
        except jwt.InvalidSignatureError as exc:
            error = exc
        except jwt.ExpiredSignatureError:
            raise OidcRefused("expired_id_token")
        except jwt.ImmatureSignatureError:
            raise OidcRefused("id_token_not_yet_valid")
        except jwt.InvalidAudienceError:
            raise OidcRefused("wrong_audience")
        except jwt.InvalidIssuerError:
            raise OidcRefused("wrong_issuer")
        except jwt.MissingRequiredClaimError as exc:
            raise OidcRefused("missing_sub" if exc.claim == "sub" else f"missing_{exc.claim}")
        except jwt.PyJWTError as exc:
            return None, exc
    return None, error


def validate_id_token(token: str, *, nonce: str | None, check_nonce: bool = True) -> dict:
    """Full check of an ID token; returns its claims or raises ``OidcRefused``."""
    if not token or not isinstance(token, str):
        raise OidcRefused("no_id_token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise OidcRefused("malformed_id_token")
    alg = header.get("alg")
    if alg not in ALLOWED_ALGS:  # "none" and HS* (a shared secret as key) are refused
        raise OidcRefused("bad_algorithm")
    supported = provider().get("id_token_signing_alg_values_supported")
    if supported and alg not in supported:
        raise OidcRefused("bad_algorithm")
    kid = header.get("kid")
    keys = signing_keys(kid, alg)
    claims, error = _decode_with(token, alg, keys)
    if claims is None and isinstance(error, (jwt.InvalidSignatureError, type(None))):
        # No cached key verified: the IdP may have rotated its keys. Re-read the JWKS once.
        seen = {json.dumps(k, sort_keys=True) for k in keys}
        fresh = [k for k in signing_keys(kid, alg, force=True) if json.dumps(k, sort_keys=True) not in seen]
        if fresh:
            claims, error = _decode_with(token, alg, fresh)
    if claims is None:
        if error is None:
            raise OidcRefused("unknown_signing_key")
        raise OidcRefused(
            "bad_signature" if isinstance(error, jwt.InvalidSignatureError) else "invalid_id_token"
        )
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or len(sub) > 255:
        raise OidcRefused("missing_sub")
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise OidcRefused("wrong_azp")
    if check_nonce:
        token_nonce = claims.get("nonce")
        if not nonce or not isinstance(token_nonce, str) or not hmac.compare_digest(token_nonce, nonce):
            raise OidcRefused("wrong_nonce")
    return claims


@dataclass
class TokenSet:
    claims: dict
    id_token: str
    access_token: str = ""
    refresh_token: str = ""
    userinfo: dict = field(default_factory=dict)
    new_id_token: bool = True  # False: a refresh that brought no new ID token

    @property
    def all_claims(self) -> dict:
        """ID token claims, completed by userinfo (whose sub must be the same person)."""
        return {**self.userinfo, **self.claims}


def _token_request(data: dict) -> dict:
    data = {**data, "client_id": settings.OIDC_CLIENT_ID}
    auth = None
    if settings.OIDC_CLIENT_SECRET:
        auth = (settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)  # client_secret_basic
    try:
        response = requests.post(
            provider()["token_endpoint"],
            data=data,
            auth=auth,
            headers=outgoing_headers(),
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
        )
    except requests.RequestException:
        raise OidcUnavailable()
    if response.status_code >= 500:
        raise OidcUnavailable("token_endpoint_error")
    try:
        body = response.json()
    except ValueError:
        raise OidcRefused("token_response_invalid")
    if response.status_code != 200:
        # invalid_grant: code reused or expired, refresh token revoked, user disabled at the IdP.
        error = str(body.get("error", "token_error"))[:40] if isinstance(body, dict) else "token_error"
        raise OidcRefused(f"token_{error}")
    if not isinstance(body, dict):
        raise OidcRefused("token_response_invalid")
    return body


def userinfo(access_token: str, *, sub: str) -> dict:
    endpoint = provider().get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    response = _get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if response.status_code in (401, 403):
        raise OidcRefused("userinfo_refused")
    if response.status_code != 200:
        raise OidcUnavailable("userinfo_failed")
    try:
        info = response.json()
    except ValueError:
        raise OidcRefused("userinfo_invalid")
    if not isinstance(info, dict) or info.get("sub") != sub:
        raise OidcRefused("userinfo_sub_mismatch")
    return info


def exchange_code(*, code: str, redirect_uri: str, nonce: str, code_verifier: str | None) -> TokenSet:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if code_verifier:
        data["code_verifier"] = code_verifier
    body = _token_request(data)
    id_token = body.get("id_token", "")
    claims = validate_id_token(id_token, nonce=nonce)
    access = body.get("access_token", "") or ""
    tokens = TokenSet(
        claims=claims, id_token=id_token, access_token=access, refresh_token=body.get("refresh_token") or ""
    )
    tokens.userinfo = userinfo(access, sub=claims["sub"])
    return tokens


def refresh(*, refresh_token: str, access_token: str, sub: str, id_token: str) -> TokenSet:
    """Re-check the session with the IdP. With a refresh token: the refresh grant (fails when the
    user was disabled or signed out at the IdP); without one: userinfo with the access token."""
    if refresh_token:
        body = _token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
        new_id = body.get("id_token") or ""
        if new_id:
            claims = validate_id_token(new_id, nonce=None, check_nonce=False)
            if claims["sub"] != sub:
                raise OidcRefused("refresh_sub_mismatch")
        else:
            claims = {"sub": sub}
        access_token = body.get("access_token") or access_token
        tokens = TokenSet(
            claims=claims,
            id_token=new_id or id_token,
            access_token=access_token,
            refresh_token=body.get("refresh_token") or refresh_token,
            new_id_token=bool(new_id),
        )
    else:
        tokens = TokenSet(
            claims={"sub": sub}, id_token=id_token, access_token=access_token, new_id_token=False
        )
    tokens.userinfo = userinfo(tokens.access_token, sub=sub)
    return tokens


def mfa_satisfied(claims: dict) -> bool:
    """True only when the token's acr or amr names one of the configured strong values."""
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in settings.OIDC_MFA_ACR_VALUES:
        return True
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list):
        return False
    return bool({a for a in amr if isinstance(a, str)} & set(settings.OIDC_MFA_AMR_VALUES))


def end_session_url(*, id_token: str, post_logout_redirect_uri: str) -> str | None:
    from urllib.parse import urlencode

    try:
        endpoint = provider().get("end_session_endpoint")
    except OidcRefused:
        return None
    if not endpoint:
        return None
    params = {"post_logout_redirect_uri": post_logout_redirect_uri, "client_id": settings.OIDC_CLIENT_ID}
    if id_token and settings.OIDC_LOGOUT_ID_TOKEN_HINT:
        # ADFS needs it; off by default because it puts a signed token with personal claims in a URL.
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"
