"""Local development: only environment defaults, then the base settings."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("VIK_DEMO_MODE", "true")
os.environ.setdefault("REGISTRIES_STANDIN", "true")  # the local registry stand-in (make run starts it)
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# Dev-only keys: fine for demo data, never for real data.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZDA=")
os.environ.setdefault("BLIND_INDEX_KEY", "dev-only-blind-index-key")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403
