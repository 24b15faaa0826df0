"""VIK's own ID token check, fed real tokens from the local IdP (and forgeries of them):
audience, issuer, signature, algorithm, expiry, sub, and key rotation through the JWKS cache."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from django.core.cache import cache

from vik.identity import oidc as vik_oidc
from vik.identity.oidc import OidcRefused

pytestmark = pytest.mark.django_db


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forge(claims: dict, *, kid: str | None, key=None) -> str:
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    headers = {"kid": kid} if kid else {}
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def _claims(idp, **over) -> dict:
    now = int(time.time())
    return {
        "iss": idp.url,
        "aud": "vik-test",
        "sub": "sub-x",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-1",
        **over,
    }


def _refused(token: str, nonce: str = "n-1") -> str:
    with pytest.raises(OidcRefused) as exc:
        vik_oidc.validate_id_token(token, nonce=nonce)
    return exc.value.reason


def test_genuine_token_passes(oidc):
    oidc.set_user("sub-v", groups=["vik-analisten"])
    token = oidc.token_for("sub-v", client_id="vik-test")["id_token"]
    claims = vik_oidc.validate_id_token(token, nonce="n-1")
    assert claims["sub"] == "sub-v" and claims["iss"] == oidc.url and claims["groups"] == ["vik-analisten"]


def test_token_for_another_application_refused(oidc):
    oidc.set_user("sub-v")
    token = oidc.token_for("sub-v", client_id="ander-systeem")["id_token"]
    assert _refused(token) == "wrong_audience"


def test_token_from_another_issuer_refused(oidc, settings):
    oidc.set_user("sub-v")
    token = oidc.token_for("sub-v", client_id="vik-test")["id_token"]  # iss http://127.0.0.1:port
    settings.OIDC_ISSUER = oidc.url.replace("127.0.0.1", "localhost")  # same keys, other issuer
    assert _refused(token) == "wrong_issuer"


def test_tampered_payload_refused(oidc):
    oidc.set_user("sub-v")
    token = oidc.token_for("sub-v", client_id="vik-test")["id_token"]
    header, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "iemand-anders"
    assert _refused(f"{header}.{_b64(claims)}.{sig}") == "bad_signature"


def test_token_signed_with_another_key_under_the_idps_kid_refused(oidc):
    oidc.set_user("sub-v")
    genuine = oidc.token_for("sub-v", client_id="vik-test")["id_token"]
    kid = jwt.get_unverified_header(genuine).get("kid")
    assert _refused(_forge(_claims(oidc), kid=kid)) in ("bad_signature", "unknown_signing_key")


def test_alg_none_and_hmac_refused(oidc):
    unsigned = _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims(oidc)) + "."
    assert _refused(unsigned) == "bad_algorithm"
    hs = jwt.encode(_claims(oidc), "vik-test-secret-long-enough-for-hs256-0123", algorithm="HS256")
    assert _refused(hs) == "bad_algorithm"


def test_wrong_nonce_refused(oidc):
    oidc.set_user("sub-v")
    token = oidc.token_for("sub-v", client_id="vik-test", nonce="andere")["id_token"]
    assert _refused(token, nonce="n-1") == "wrong_nonce"


def _jwks_cache_key(idp) -> str:
    import hashlib

    uri = vik_oidc.provider()["jwks_uri"]
    return "identity:jwks:" + hashlib.sha256(uri.encode()).hexdigest()[:24]


def test_missing_sub_and_expired_refused_with_a_key_the_jwks_holds(oidc):
    """A key VIK trusts (placed in its JWKS cache, as after a rotation): the claims decide."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public.update({"kid": "test-rotated", "use": "sig", "alg": "RS256"})
    cache.set(_jwks_cache_key(oidc), [public], 600)
    claims = _claims(oidc)
    ok = _forge(claims, kid="test-rotated", key=key)
    assert vik_oidc.validate_id_token(ok, nonce="n-1")["sub"] == "sub-x"
    del claims["sub"]
    assert _refused(_forge(claims, kid="test-rotated", key=key)) == "missing_sub"
    expired = _claims(oidc, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    assert _refused(_forge(expired, kid="test-rotated", key=key)) == "expired_id_token"
    multi_aud = _claims(oidc, aud=["vik-test", "ander"], azp="ander")
    assert _refused(_forge(multi_aud, kid="test-rotated", key=key)) == "wrong_azp"


def test_rotated_key_is_fetched_when_the_cache_does_not_know_the_kid(oidc):
    """The cache holds only an old key; a token under the IdP's current kid makes VIK re-read the
    JWKS once (rotation) and accept the genuine token."""
    old = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(old.public_key()))
    public.update({"kid": "oude-sleutel", "use": "sig"})
    cache.set(_jwks_cache_key(oidc), [public], 600)
    cache.delete(_jwks_cache_key(oidc) + ":fetched")
    oidc.set_user("sub-v")
    token = oidc.token_for("sub-v", client_id="vik-test")["id_token"]
    assert vik_oidc.validate_id_token(token, nonce="n-1")["sub"] == "sub-v"
    assert any(k.get("kid") != "oude-sleutel" for k in cache.get(_jwks_cache_key(oidc)))


def test_mfa_only_from_configured_values(settings):
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    settings.OIDC_MFA_ACR_VALUES = ["http://schemas.microsoft.com/claims/multipleauthn"]
    assert vik_oidc.mfa_satisfied({"amr": ["pwd", "mfa"]})
    assert vik_oidc.mfa_satisfied({"acr": "http://schemas.microsoft.com/claims/multipleauthn"})
    assert not vik_oidc.mfa_satisfied({"amr": ["pwd"]})
    assert not vik_oidc.mfa_satisfied({"amr": "pwd", "acr": "1"})
    assert not vik_oidc.mfa_satisfied({"amr": {"mfa": True}})
