"""Production: the base settings with nothing relaxed. Every secret must come from the
environment; demo conveniences are refused."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, DEMO_MODE

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production (environment variable DEBUG).")
if DEMO_MODE:
    raise ImproperlyConfigured("VIK_DEMO_MODE must be false in production.")
from .base import REGISTRIES_STANDIN  # noqa: E402

if REGISTRIES_STANDIN:
    raise ImproperlyConfigured(
        "REGISTRIES_STANDIN must be false in production: the registry stand-in serves demo data only."
    )
