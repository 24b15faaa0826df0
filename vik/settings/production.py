"""Production: the base settings with nothing relaxed. Every secret must come from the
environment; demo conveniences are refused."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, DEMO_MODE, OIDC_ISSUER, OIDC_VERIFY_SSL, REGISTRIES_STANDIN

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production (environment variable DEBUG).")
if DEMO_MODE:
    raise ImproperlyConfigured("VIK_DEMO_MODE must be false in production.")

if OIDC_ISSUER and not OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("OIDC_ISSUER must be an https:// URL in production.")
if OIDC_ISSUER and not OIDC_VERIFY_SSL:
    raise ImproperlyConfigured("OIDC_VERIFY_SSL must stay true in production.")

if REGISTRIES_STANDIN:
    raise ImproperlyConfigured(
        "REGISTRIES_STANDIN must be false in production: the registry stand-in serves demo data only."
    )
