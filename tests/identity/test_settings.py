"""Production refuses a municipal login over plain HTTP or without certificate checks; a proper
configuration passes the deploy check and adds the IdP to the CSP form-action (logout redirect)."""

from __future__ import annotations

from tests.core.test_settings import _manage, _prod_env


def test_production_refuses_plain_http_issuer():
    result = _manage(
        "check", env=_prod_env(OIDC_ISSUER="http://idp.almelo.nl/realms/vik", OIDC_CLIENT_ID="vik")
    )
    assert result.returncode != 0 and "OIDC_ISSUER must be an https:// URL" in result.stderr


def test_production_refuses_unverified_tls():
    env = _prod_env(
        OIDC_ISSUER="https://idp.almelo.nl/realms/vik", OIDC_CLIENT_ID="vik", OIDC_VERIFY_SSL="false"
    )
    result = _manage("check", env=env)
    assert result.returncode != 0 and "OIDC_VERIFY_SSL" in result.stderr


def test_production_with_idp_passes_deploy_check_and_allows_logout_redirect():
    env = _prod_env(
        OIDC_ISSUER="https://idp.almelo.nl/realms/vik", OIDC_CLIENT_ID="vik", OIDC_CLIENT_SECRET="s"
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        env=env,
    )
    assert "https://idp.almelo.nl" in shown.stdout
