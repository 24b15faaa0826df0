"""Base settings: everything lives here with safe defaults, read from the environment through
``vik.env``. ``dev``/``test`` only set environment defaults; ``production`` only hardens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from vik.env import env_bool, env_db_url, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", help="Django secret key (sessions, CSRF, signing). Long and random.")
DEBUG = env_bool("DEBUG", False, help="Django debug pages. Never true in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", help="Host names VIK answers to, comma separated.")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [], help="Origins (scheme://host) allowed to post forms, comma separated."
)
DEMO_MODE = env_bool(
    "VIK_DEMO_MODE",
    False,
    help="Demo conveniences: print demo users' TOTP secrets and allow `manage.py demo_otp`. Refused in production.",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "auditlog",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "vik.core",
    "vik.privacy",
    "subjects",
    "signals",
    "measures",
    "bibob",
    "meetings",
    "dashboards",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vik.core.middleware.SessionTimeoutMiddleware",
    "vik.core.middleware.RecordRefusalMiddleware",
    "vik.core.middleware.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "vik.core.middleware.SecurityHeadersMiddleware",
    "vik.core.middleware.DeclaredDaysMiddleware",
    "axes.middleware.AxesMiddleware",
]

if env_bool(
    "VIK_BENCH",
    False,
    help="Benchmark mode: expose per-request query counts in response headers (bench only).",
):
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "vik.urls"
WSGI_APPLICATION = "vik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "vik.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": {
        **env_db_url(
            "DATABASE_URL",
            help="PostgreSQL URL, e.g. postgres://vik@127.0.0.1:5432/vik. `make run` starts a project-local cluster when unset.",
        ),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, help="Seconds a database connection is kept open."),
        "ATOMIC_REQUESTS": False,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str(
    "REDIS_URL", help="Redis URL for the Celery broker and cache, e.g. redis://127.0.0.1:6379/0."
)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "vik.core.backends.VikModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# axes.W006 asks to lock per IP too. Municipal staff sit behind one NAT address, so an IP lockout
# would lock out the whole town hall after five typos; VIK locks per username (which also holds
# for usernames that do not exist, so the lockout reveals nothing).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

# Sessions: idle 15 minutes, absolute 10 hours (enforced by SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60, help="Idle timeout of a session in seconds.")
SESSION_ABSOLUTE_SECONDS = env_int(
    "SESSION_ABSOLUTE_SECONDS", 10 * 3600, help="Absolute lifetime of a session in seconds."
)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True, help="Send cookies over HTTPS only.")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True, help="Redirect plain HTTP to HTTPS.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, help="HSTS max-age in seconds.")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# django-axes: 5 failures lock the username for an hour; the message never tells whether it exists.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, help="Failed logins before lockout.")
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vik.core.views.auth.lockout_response"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "VIK"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".local" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / env_str(
    "VIK_FILE_STORE",
    ".local/files",
    help="Folder for encrypted attachments and documents (absolute, or relative to the project folder).",
)

# Field encryption: Fernet keys, the first encrypts, all decrypt (rotation). BSN lookup uses an
# HMAC blind index under its own key.
FIELD_ENCRYPTION_KEYS = env_list(
    "FIELD_ENCRYPTION_KEYS",
    help="Fernet keys (urlsafe base64, 32 bytes) comma separated; the first encrypts, all decrypt.",
)
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY", help="Secret for the HMAC blind index over BSNs (exact lookup).")
# django-fernet-encrypted-fields reads SALT_KEY; VIK's own fields use FIELD_ENCRYPTION_KEYS instead.
SALT_KEY = ["unused-by-vik"]

# Celery
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int(
    "CELERY_TASK_TIME_LIMIT", 1800, help="Hard time limit of a Celery task in seconds."
)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", False, help="Run tasks in-process (tests only)."
)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend", help="Django e-mail backend class."
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost", help="SMTP host for reminders.")
EMAIL_PORT = env_int("EMAIL_PORT", 25, help="SMTP port.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vik@localhost", help="Sender address of VIK e-mail.")

MEASURES_REMINDER_LEAD_DAYS = [
    int(x)
    for x in env_list(
        "MEASURES_REMINDER_LEAD_DAYS",
        ["7", "0"],
        help="Days before a measure deadline on which reminders are sent (0 = the day itself).",
    )
]
MEASURES_LIMITATION_PAUSE = env_bool(
    "MEASURES_LIMITATION_PAUSE",
    True,
    help="Pause the LOD limitation clock while objection or appeal is pending (Awb 5:35(2)); [U] confirm locally.",
)

ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024, help="Largest attachment accepted.")
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object
GUARDIAN_MONKEY_PATCH_USER = False

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "vik.core.logging.ScrubFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO", help="Root log level.")},
    "loggers": {"axes": {"level": "WARNING"}},
}
