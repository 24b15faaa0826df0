"""The language switch offers only complete languages: for every offered language other than the
source language (Dutch, the language the strings are written in) the catalogue must translate
every string that ``makemessages`` finds in the code and templates today."""

import subprocess
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

OFFERED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def test_the_source_language_is_offered():
    assert settings.LANGUAGE_CODE == "nl"
    assert ("nl", "Nederlands") in settings.LANGUAGES


@pytest.mark.parametrize("code", OFFERED)
def test_every_string_is_translated_in_an_offered_language(code, tmp_path, monkeypatch):
    shipped = Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po"
    assert shipped.exists(), f"{code} is offered but has no catalogue"
    target = tmp_path / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.po").write_bytes(shipped.read_bytes())
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command(
            "makemessages",
            locale=[code],
            ignore_patterns=["node_modules/*", "bench/*", "tests/*"],
            verbosity=0,
        )
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(target / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{code}: {stats.strip()}"
