"""A real OpenID provider for the tests: oidc-provider-mock started as a subprocess on a free
port (session-scoped), with the demo users of vik/identity/demo.py. Nothing is mocked: VIK talks
HTTP to it for discovery, JWKS, token, userinfo and end-session."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from vik.identity.demo import idp_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Idp:
    url: str

    def set_user(self, sub: str, **claims) -> None:
        r = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert r.status_code == 204, r.text

    def revoke(self, sub: str) -> None:
        """The user is disabled / signed out at the IdP: all their tokens are revoked."""
        r = requests.post(f"{self.url}/users/{sub}/revoke-tokens", timeout=5)
        assert r.status_code == 204

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The user signs in at the IdP: returns the redirect back to VIK (with code and state)."""
        r = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert r.status_code == 302, r.text[:500]
        return r.headers["Location"]

    def token_for(self, sub: str, *, client_id: str, nonce: str = "n-1") -> dict:
        """Tokens straight from the IdP for ``client_id`` (to feed VIK's validator)."""
        redirect_uri = "http://testserver/cb"
        q = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid profile email",
            "state": "s",
            "nonce": nonce,
        }
        location = self.authorize(
            f"{self.url}/oauth2/authorize?" + "&".join(f"{k}={v}" for k, v in q.items()), sub
        )
        code = parse_qs(urlparse(location).query)["code"][0]
        r = requests.post(
            f"{self.url}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            auth=(client_id, "secret"),
            timeout=5,
        )
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="session")
def idp_server():
    port = _free_port()
    proc = subprocess.Popen(
        idp_command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # wait until it answers discovery (start-up, not a test wait)
        try:
            if requests.get(f"{url}/.well-known/openid-configuration", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("oidc-provider-mock did not start")
        time.sleep(0.1)
    yield Idp(url)
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def configure(settings, idp: Idp, client_id: str = "vik-test") -> None:
    settings.OIDC_ISSUER = idp.url
    settings.OIDC_CLIENT_ID = client_id
    settings.OIDC_CLIENT_SECRET = "vik-test-secret"
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    settings.OIDC_MFA_ACR_VALUES = []
    forget_cached_provider(idp.url)


def forget_cached_provider(base: str) -> None:
    """Drop VIK's cached discovery document and key set of the provider at ``base``: the cache
    is shared by the test workers and outlives a run, and a provider started later on a port
    an earlier one used signs with other keys under the same key id."""
    import hashlib

    from django.core.cache import cache

    def digest(value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()[:24]

    discovery = "identity:discovery:" + digest(base)
    doc = cache.get(discovery) or {}
    stale = [discovery]
    for uri in {doc.get("jwks_uri"), base + "/jwks", base + "/.well-known/jwks.json"} - {None}:
        key = "identity:jwks:" + digest(uri)
        stale += [key, key + ":fetched"]
    cache.delete_many(stale)


def claims_json(claims: dict) -> str:
    return json.dumps(claims)
