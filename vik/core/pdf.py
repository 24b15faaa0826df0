"""The one way VIK makes a PDF.

Every PDF the project produces goes through :func:`render_pdf`, which hands weasyprint a URL
fetcher that serves only the project's own static assets (``/static/...``, looked up inside the
static root or the static directories, never outside them) and refuses everything else:
``file://``, ``http(s)://`` to any host, ``data:``, ``ftp:`` and the rest. A title or a name that
slips unescaped into the HTML can therefore neither embed a server file (``<link
rel="attachment" href="file:///proc/self/environ">``) nor make the server call a URL.

Each PDF kind is registered in :data:`KINDS`; :func:`render_pdf` refuses an unknown kind, and the
test suite renders every registered kind with hostile input (tests/core/test_pdf.py), so a new
kind cannot be added without being put through that test. Importing weasyprint anywhere else is
refused by ruff (TID251) and by a test that scans the source tree.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger("vik.pdf")

# Every PDF the project makes, by kind. A new kind (a letter, a report) is added here and to the
# hostile-input test in tests/core/test_pdf.py, which fails while the two differ.
KINDS: dict[str, str] = {
    "meetings.agenda": "Agenda van de casustafel, per ontvangende organisatie",
    "meetings.minutes": "Verslag van de casustafel, per ontvangende organisatie",
    "privacy.dsar": "Antwoord op een inzageverzoek (AVG art. 15)",
    "privacy.register": "Register van verwerkingsactiviteiten (AVG art. 30)",
    "letters.letter": "PDF-kopie van een verzonden brief of besluit",
    "plan.quarterly": "Kwartaalrapportage voortgang plan van aanpak ondermijning",
    "plan.year_report": "Jaarbeeld ondermijning (alleen aantallen, kleine aantallen onderdrukt)",
}

# Relative references in a document resolve against this origin. The .invalid top-level domain
# never resolves (RFC 2606), and the fetcher never opens a connection anyway: it only maps
# https://vik-pdf.invalid/static/<path> to a file among the static assets.
BASE_URL = "https://vik-pdf.invalid/"
_HOST = "vik-pdf.invalid"

# What a document may pull from the static assets: stylesheets, images and fonts.
_ALLOWED_SUFFIXES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class UnknownPdfKind(ValueError):
    """A PDF kind that is not in KINDS (and so not covered by the hostile-input test)."""


class ResourceRefused(ValueError):
    """The document referenced something other than one of the project's static assets."""


def _redacted(url: str) -> str:
    """What may be logged of a refused reference: its scheme and host only. The path, query,
    fragment and any user:password part can carry a secret (or are the secret: a file path)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<onleesbare verwijzing>"
    scheme = (parts.scheme or "").lower()[:20] or "?"
    try:
        host = parts.hostname or ""
    except ValueError:
        host = ""
    return f"{scheme}://{host[:100]}" if host else f"{scheme}:"


def static_asset(url: str) -> Path | None:
    """The static file ``url`` names, or None. Only ``https://vik-pdf.invalid/static/<path>``
    qualifies, where <path> is a plain relative path (no ``..``, ``.``, empty segment, backslash or
    NUL, also not percent-encoded) to a stylesheet, image or font."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "https" or parts.netloc != _HOST or parts.query or parts.fragment:
        return None
    static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    if not parts.path.startswith(static_url):
        return None
    relative = unquote(parts.path[len(static_url) :])
    segments = relative.split("/")
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or any(segment in ("", ".", "..") for segment in segments)
        or Path(relative).suffix.lower() not in _ALLOWED_SUFFIXES
    ):
        return None
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for root in roots:
        candidate = root.joinpath(*segments)
        if candidate.is_file():
            return candidate
    found = finders.find(relative)  # safe_join inside each static directory
    return Path(found) if found else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static assets from disk; refuses every other reference without
        opening a file or a connection."""

        def __init__(self):
            super().__init__(timeout=1, allowed_protocols=("https",), allow_redirects=False)

        def fetch(self, url, headers=None):
            path = static_asset(url)
            if path is None:
                logger.warning("PDF renderer refused a reference to %s", _redacted(url))
                raise ResourceRefused("alleen eigen statische bestanden")
            content_type = _ALLOWED_SUFFIXES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return StaticOnlyFetcher()


class _DropFetchFailures(logging.Filter):
    """weasyprint logs each failed load with the full reference (which can be a secret file path
    or a URL with a token); the refusal is logged by the fetcher above, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Failed to load", "Failed to render SVG"))


logging.getLogger("weasyprint").addFilter(_DropFetchFailures())


def render_pdf(html: str, *, kind: str) -> bytes:
    """The PDF for a complete HTML document of one of the registered kinds. The HTML must already
    be escaped (rendered by a Django template with autoescape, or built with format_html); the
    fetcher is the second line: whatever slips through fetches nothing but static assets."""
    if kind not in KINDS:
        raise UnknownPdfKind(f"Unknown PDF kind {kind!r}: register it in vik.core.pdf.KINDS and test it")
    import weasyprint

    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()
