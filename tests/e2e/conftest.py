"""Browser journeys: Playwright driving Debian's chromium (/usr/bin/chromium), never a
downloaded browser. The browser is session-scoped (pytest-playwright); each test gets a page."""

from __future__ import annotations

import json
import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

CHROMIUM = os.environ.get("VIK_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_login(live_server):
    """Log a user in through the real form: password, then the TOTP code of their device."""

    def _login(page, user, password: str = PASSWORD):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Volgende").click()
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        page.get_by_label("Code uit uw authenticator-app of een back-upcode").fill(code)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


@pytest.fixture
def set_purpose(live_server):
    def _set(page, reason: str = "Onderzoek naar signalen van ondermijning in de wijk"):
        page.goto(f"{live_server.url}/doel/")
        page.get_by_label("Of: reden").fill(reason)
        page.get_by_role("button", name="Doel vastleggen").click()
        return page

    return _set


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (from npm, injected as a script file) and return serious/critical violations."""
    # Loaded as a same-origin file (static/vendor/axe.min.js) so the strict CSP stays on.
    origin = page.evaluate("() => window.location.origin")
    page.add_script_tag(url=f"{origin}/static/vendor/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [v for v in result["violations"] if v.get("impact") in impacts]
    if found:
        print(
            json.dumps(
                [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in found], indent=1
            )
        )
    return found


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Browser journeys run against a live server on a flushed database. When an earlier test on
    the same worker ended in a flush whose post_migrate did not complete (a test that cut the
    database connection, for example), content types, permissions and the role groups are
    missing; rebuild them the way migrate does before every journey."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
