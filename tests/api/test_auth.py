"""Authentication: API keys (hashed, expiry, rotation, revocation, created by the functional
admin) and OAuth2 bearer tokens validated against the IdP's JWKS (served over real HTTP here);
no session cookies; every refusal a problem+json."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from django.utils import timezone

from api.authentication import _jwks_client
from api.models import ApiClient
from api.services import api_client_create, api_client_revoke, api_key_rotate, key_hash
from tests.api.conftest import Api, problem
from tests.conftest import verify_client
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_the_key_is_stored_only_as_a_hash(make_api, users):
    client, api = make_api(users["analyst"])
    key = api.headers["HTTP_X_API_KEY"]
    stored = ApiClient.objects.get(pk=client.pk)
    assert key not in json.dumps([stored.key_hash, stored.key_prefix])
    assert stored.key_hash == key_hash(key)
    assert api.get("signalen").status_code == 200
    # Authorization: ApiKey … works the same
    assert Api(HTTP_AUTHORIZATION=f"ApiKey {key}").get("signalen").status_code == 200


def test_only_the_functional_admin_creates_clients(users):
    with pytest.raises(ApplicationError):
        api_client_create(
            actor=users["analyst"],
            name="x",
            organisation=users["partner"].org_unit,
            user=users["partner"],
            scopes=["acties.lezen"],
        )


@pytest.mark.parametrize(
    "header", [{}, {"HTTP_X_API_KEY": "vik_dead_beef"}, {"HTTP_AUTHORIZATION": "ApiKey nonsense"}]
)
def test_missing_or_unknown_credentials_are_401(header):
    resp = Api(**header).get("signalen")
    assert resp.status_code == 401 and problem(resp)["detail"]
    assert "WWW-Authenticate" in resp


def test_expired_revoked_and_rotated_keys(make_api, users, admin):
    client, api = make_api(users["analyst"])
    old_key = api.headers["HTTP_X_API_KEY"]
    new_key = api_key_rotate(actor=admin, client=client)
    # during the grace both work
    assert Api(old_key).get("signalen").status_code == 200
    assert Api(new_key).get("signalen").status_code == 200
    ApiClient.objects.filter(pk=client.pk).update(
        previous_key_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Api(old_key).get("signalen").status_code == 401
    ApiClient.objects.filter(pk=client.pk).update(key_expires_at=timezone.now() - timedelta(seconds=1))
    assert Api(new_key).get("signalen").status_code == 401
    client2, api2 = make_api(users["chair"])
    api_client_revoke(actor=admin, client=client2)
    resp = api2.get("signalen")
    assert resp.status_code == 401 and "ingetrokken" in problem(resp)["detail"]
    # a deactivated service account ends its keys at once
    client3, api3 = make_api(users["decision_maker"])
    users["decision_maker"].is_active = False
    users["decision_maker"].save(update_fields=["is_active"])
    assert api3.get("signalen").status_code == 401


def test_a_web_session_does_not_open_the_api(users):
    web = verify_client(Api().client, users["analyst"])
    resp = web.get("/api/v1/signalen")
    assert resp.status_code == 401
    assert "sessionid" not in resp.cookies and "csrftoken" not in resp.cookies


# --- OAuth2 bearer tokens ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def idp():
    """A JWKS endpoint over real HTTP with one RSA key; returns (url, private key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks", key
    server.shutdown()


@pytest.fixture
def oauth(settings, idp):
    url, key = idp
    settings.API_OAUTH_ISSUER = "https://idp.example/realms/gemeente"
    settings.API_OAUTH_JWKS_URL = url
    settings.API_OAUTH_AUDIENCE = "vik-api"
    _jwks_client.cache_clear()

    def token(**claims):
        now = int(time.time())
        payload = {
            "iss": settings.API_OAUTH_ISSUER,
            "aud": "vik-api",
            "azp": "bi-systeem",
            "iat": now,
            "exp": now + 300,
            "scope": "cijfers.lezen signalen.lezen",
        }
        payload.update(claims)
        signing = claims.pop("_key", None) or key
        payload.pop("_key", None)
        return jwt.encode(payload, signing, algorithm="RS256", headers={"kid": "k1"})

    return token


def test_bearer_token_with_scopes(oauth, make_api, users):
    make_api(users["analyst"], scopes=["cijfers.lezen", "acties.lezen"], oauth_client_id="bi-systeem")
    api = Api(HTTP_AUTHORIZATION=f"Bearer {oauth()}")
    assert api.get("cijfers").status_code == 200
    # signalen.lezen is in the token but not granted to the client by the functional admin
    assert api.get("signalen").status_code == 403
    # acties.lezen is granted but not in the token
    assert api.get("acties").status_code == 403


@pytest.mark.parametrize(
    "claims, reason",
    [
        ({"exp": int(time.time()) - 120}, "verlopen"),
        ({"aud": "ander-systeem"}, "audience"),
        ({"iss": "https://evil.example"}, "identity provider"),
        ({"azp": "onbekend"}, "niet (meer) bekend"),
    ],
)
def test_bad_tokens_are_refused(oauth, make_api, users, claims, reason):
    make_api(users["analyst"], scopes=["cijfers.lezen"], oauth_client_id="bi-systeem")
    resp = Api(HTTP_AUTHORIZATION=f"Bearer {oauth(**claims)}").get("cijfers")
    assert resp.status_code == 401 and reason in problem(resp)["detail"]


def test_a_token_signed_by_another_key_is_refused(oauth, make_api, users):
    make_api(users["analyst"], scopes=["cijfers.lezen"], oauth_client_id="bi-systeem")
    forged = oauth(_key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    resp = Api(HTTP_AUTHORIZATION=f"Bearer {forged}").get("cijfers")
    assert resp.status_code == 401 and problem(resp)


def test_management_command_creates_rotates_and_revokes(admin, users):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "api_client",
        "create",
        "--actor",
        admin.username,
        "--name",
        "Politie",
        "--org",
        "politie",
        "--user",
        users["partner"].username,
        "--scope",
        "acties.lezen",
        stdout=out,
    )
    key = out.getvalue().split(": ")[-1].strip()
    assert Api(key).get("acties").status_code == 200
    client = ApiClient.objects.get(name="Politie")
    call_command("api_client", "revoke", "--actor", admin.username, "--id", str(client.pk), stdout=StringIO())
    assert Api(key).get("acties").status_code == 401
    with pytest.raises(CommandError):
        call_command("api_client", "rotate", "--actor", users["analyst"].username, "--id", str(client.pk))
