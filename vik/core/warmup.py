"""Warm a web worker up before it takes requests (vik/wsgi.py).

Without it, the first request a gunicorn worker serves imports every app's URLconf and views,
and the first request for each page compiles that page's templates (the cached template loader
keeps them per process afterwards). On the 2-core demo machine that made the first visit of a
page per worker take one to several seconds (issue #19 item 10: the chair's analysis pages),
while the same page took a fraction of that on the next visit. The worker pays it once at start.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)


def warm_up() -> dict:
    """Import the URLconf (every view) and compile every project template. Never raises: a
    template that does not compile shows up on its own page as before."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports every app's urls and views
    compiled = failed = 0
    for root in settings.TEMPLATES[0].get("DIRS", []):  # type: ignore[attr-defined]
        root = Path(root)
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
            try:
                get_template(str(path.relative_to(root)))
                compiled += 1
            except Exception:  # noqa: BLE001 - the page itself reports it, as before
                failed += 1
    took = time.perf_counter() - started
    logger.info("warm-up: %d templates compiled (%d skipped) in %.1f s", compiled, failed, took)
    return {"templates": compiled, "skipped": failed, "seconds": round(took, 2)}
