"""Screenshots for docs/rondleiding.md: log in as each demo user on a running demo server and
photograph the pages of the tour at 1366×768 into docs/img/.

    VIK_DEMO_MODE=true DJANGO_SETTINGS_MODULE=vik.settings.dev \\
        .venv/bin/python scripts/rondleiding_screenshots.py http://127.0.0.1:8000

Needs the demo data (manage.py seed_demo) and Debian's /usr/bin/chromium. Each shot is of the
visible window (not the whole page), so the images stay small."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

import django  # noqa: E402

django.setup()

from django_otp.oath import totp  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from vik.core.demo import DEMO_PASSWORD, require_demo_mode  # noqa: E402

# (user, file name, path or callable(page, base) -> None)
TOUR = [
    ("analist", "analist-overzicht", "/"),
    ("analist", "analist-signalen", "/signalen/"),
    ("analist", "analist-mijn-termijnen", "/maatregelen/mijn-termijnen/"),
    ("analist", "analist-maatregel", "first:/maatregelen/"),
    ("voorzitter", "voorzitter-casustafel", "first:/casustafel/"),
    ("bibob", "bibob-dossiers", "/bibob/"),
    ("burgemeester", "burgemeester-overzicht", "/"),
    ("politie", "partner-casustafel", "/casustafel/"),
    ("beheerder", "beheerder-termijnregels", "/maatregelen/termijnregels/"),
    ("privacy", "privacy-overzicht", "/privacybeheer/"),
    ("privacy", "privacy-blokkade-zoeken", "/privacybeheer/blokkades/?zoek=1&naam=Jansen#record-pick-form"),
    ("archivaris", "archivaris-vernietigingslijsten", "/privacybeheer/vernietigingslijsten/"),
]


def _code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, name="demo")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def main(base: str) -> None:
    require_demo_mode()
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        pages = {}
        for user, name, target in TOUR:
            page = pages.get(user)
            if page is None:
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                page.goto(f"{base}/inloggen/")
                page.get_by_label("Gebruikersnaam").fill(user)
                page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Volgende").click()
                page.get_by_label("Code uit uw authenticator-app of een back-upcode").fill(_code(user))
                page.get_by_role("button", name="Inloggen").click()
                page.wait_for_url(f"{base}/")
                pages[user] = page
            if target.startswith("first:"):
                page.goto(base + target[len("first:") :])
                page.locator("main table a").first.click()
                page.wait_for_load_state()
            else:
                page.goto(base + target)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
