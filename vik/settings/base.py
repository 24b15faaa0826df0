"""Base settings: everything lives here with safe defaults, read from the environment through
``vik.env``. ``dev``/``test`` only set environment defaults; ``production`` only hardens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from vik.env import env_bool, env_db_url, env_int, env_list, env_optional_db_url, env_str

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
    "vik.core.admin_apps.VikAdminConfig",  # django.contrib.admin with VIK's site (404 to non-staff)
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
    "vik.identity",
    "subjects",
    "signals",
    "measures",
    "bibob",
    "letters",
    "meetings",
    "dashboards",
    "registries",
    "reporting",
    "plan",
    "bench",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First: every request (web and API) has its W3C trace before anything can log or call out.
    "vik.core.tracing.TraceContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vik.core.middleware.SessionTimeoutMiddleware",
    "vik.identity.middleware.OidcSessionRefreshMiddleware",
    "vik.core.middleware.RecordRefusalMiddleware",
    "vik.core.middleware.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "vik.core.middleware.SecurityHeadersMiddleware",
    "vik.core.middleware.DeclaredDaysMiddleware",
    "vik.core.db_router.ReplicaMiddleware",
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
        # A persistent connection is checked before a request reuses it, so a PostgreSQL restart
        # costs a reconnect, not a 500.
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replica (vik/core/db_router.py, docs/deployment.md): opted-in read-only views read from a
# PostgreSQL streaming replica; writes, the access log and reads right after a write stay on the
# primary; a replica that lags or is down is skipped.
_REPLICA = env_optional_db_url(
    "DATABASE_REPLICA_URL",
    help="PostgreSQL URL of a streaming replica of DATABASE_URL for read-only pages (dashboards, analysis, exports). Empty: every read on the primary.",
)
if _REPLICA:
    _REPLICA.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # a test run with a replica configured reads the test database through both aliases
    DATABASES["replica"] = {**DATABASES["default"], **_REPLICA, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["vik.core.db_router.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int(
    "DATABASE_REPLICA_MAX_LAG_SECONDS",
    10,
    help="Reads fall back to the primary while the replica is more than this many seconds behind.",
)
DATABASE_REPLICA_CHECK_SECONDS = env_int(
    "DATABASE_REPLICA_CHECK_SECONDS",
    5,
    help="Seconds a web or worker process trusts its last check of the replica's lag (one query per check).",
)
DATABASE_REPLICA_PIN_SECONDS = env_int(
    "DATABASE_REPLICA_PIN_SECONDS",
    15,
    help="Read-your-writes: seconds after a user's write during which that user reads from the primary. "
    "At least DATABASE_REPLICA_MAX_LAG_SECONDS + DATABASE_REPLICA_CHECK_SECONDS.",
)
#: Views that only read and may read from the replica: URL name -> HTTP methods. A view is listed
#: here after checking that it writes nothing a later read in the same request depends on
#: (the access log is written on the primary either way). Why opt-in: vik/core/db_router.py.
DATABASE_REPLICA_VIEWS = {
    **{
        name: ("GET", "HEAD")
        for name in (
            # dashboards, the map and the analysis
            "dashboards:overview",
            "dashboards:panel_measures",
            "dashboards:management",
            "dashboards:map",
            "dashboards:buurt",
            "dashboards:outlines",
            "dashboards:analysis",
            # exports
            "dashboards:export",
            "signals:export",
            # the benchmark's other read-only list pages (bench/run.py)
            "subjects:typeahead",
            "signals:list",
            "core:who_viewed",
        )
    },
    # Not here on purpose: the pages of one person, organisation or address (the subject page and
    # its network). A share revoked by someone else a moment ago must end access to the record at
    # once, not up to DATABASE_REPLICA_MAX_LAG_SECONDS later (docs/deployment.md).
    # the export itself is a POST (after a confirmation step) that only reads and logs
    "signals:export": ("GET", "HEAD", "POST"),
}

REDIS_URL = env_str(
    "REDIS_URL", help="Redis URL for the Celery broker and cache, e.g. redis://127.0.0.1:6379/0."
)
# The cache degrades when Redis is down (vik.core.cache): nothing in it is needed to serve a page.
CACHES = {
    "default": {
        "BACKEND": "vik.core.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "vik.core.backends.VikModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "vik.identity.backends.VikOIDCBackend",
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
AXES_WHITELIST_CALLABLE = "vik.identity.backends.axes_skip_oidc"

OTP_TOTP_ISSUER = "VIK"

# Sign-in with the municipal identity provider (OpenID Connect; vik/identity, docs/authentication.md).
OIDC_ISSUER = env_str(
    "OIDC_ISSUER",
    "",
    help="Issuer URL of the municipal OpenID provider (discovery at ISSUER/.well-known/openid-configuration). Empty: no municipal login.",
)
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "", help="Client ID of VIK at the OpenID provider.")
OIDC_CLIENT_SECRET = env_str(
    "OIDC_CLIENT_SECRET", "", help="Client secret of VIK at the OpenID provider (client_secret_basic)."
)
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile email", help="Scopes VIK asks the OpenID provider for.")
OIDC_GROUPS_CLAIM = env_str(
    "OIDC_GROUPS_CLAIM",
    "groups",
    help="Claim with the user's groups, mapped to roles and teams by the functional admin.",
)
OIDC_MFA_ACR_VALUES = env_list(
    "OIDC_MFA_ACR_VALUES",
    [],
    help="`acr` values that count as two-factor at the IdP (also sent as acr_values), comma separated.",
)
OIDC_MFA_AMR_VALUES = env_list(
    "OIDC_MFA_AMR_VALUES",
    ["mfa"],
    help="`amr` values that count as two-factor at the IdP, comma separated. Otherwise VIK asks its own TOTP code.",
)
OIDC_LOCAL_LOGIN_STAFF = env_bool(
    "OIDC_LOCAL_LOGIN_STAFF",
    True,
    help="Allow municipal staff (team accounts, IdP accounts) the local password login. Partners always keep it.",
)
OIDC_REFRESH_SECONDS = env_int(
    "OIDC_REFRESH_SECONDS", 15 * 60, help="Seconds between re-checks of a municipal session with the IdP."
)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 5, help="Timeout in seconds of each call to the OpenID provider.")
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True, help="Verify the OpenID provider's TLS certificate.")
OIDC_LOGOUT_ID_TOKEN_HINT = env_bool(
    "OIDC_LOGOUT_ID_TOKEN_HINT",
    False,
    help="Send id_token_hint on logout at the IdP (ADFS needs it; it puts the ID token in a URL).",
)
VIK_IDLE_DEACTIVATE_DAYS = env_int(
    "VIK_IDLE_DEACTIVATE_DAYS",
    90,
    help="Accounts without a login for this many days are deactivated nightly.",
)
VIK_ACCESS_REVIEW_FLAG_DAYS = env_int(
    "VIK_ACCESS_REVIEW_FLAG_DAYS",
    30,
    help="Access review lines undecided after this many days go to the privacy officer.",
)
# mozilla-django-oidc: VIK's views read endpoints from discovery; these are the library's knobs.
OIDC_RP_CLIENT_ID = OIDC_CLIENT_ID
OIDC_RP_SCOPES = OIDC_SCOPES
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:oidc_callback"
OIDC_REDIRECT_REQUIRE_HTTPS = False  # next= must be a path on VIK's own host either way
if OIDC_ISSUER:
    # RP-initiated logout: the logout form's POST is answered with a redirect to the IdP.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("/".join(OIDC_ISSUER.split("/", 3)[:3]))

LANGUAGE_CODE = "nl"
# Offer a language only when every string is translated (tests/core/test_languages.py checks this).
# English had no catalogue at all, so it is not offered.
LANGUAGES = [("nl", "Nederlands")]
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
# Register of processing activities (AVG art. 30) and the processing log (Logboek Dataverwerkingen).
VIK_REGISTER_BASE_URL = env_str(
    "VIK_REGISTER_BASE_URL",
    "https://vik.example/register/",
    help="Base of the stable URI of each processing activity (the URI is fixed when the activity is created).",
)
LDV_PSEUDONYM_KEY = env_str(
    "LDV_PSEUDONYM_KEY",
    "",
    help="Secret for the HMAC-SHA256 pseudonym of data subjects in the processing log; empty derives one from SECRET_KEY.",
)
LDV_SINK = env_str(
    "LDV_SINK",
    "local",
    help="Where processing-log records go: local (append-only table), otlp (OpenTelemetry exporter) or both.",
)
LDV_OTLP_ENDPOINT = env_str(
    "LDV_OTLP_ENDPOINT",
    "http://127.0.0.1:4318/v1/traces",
    help="OTLP/HTTP traces endpoint of the log store (used when LDV_SINK is otlp or both).",
)
LDV_SERVICE_NAME = env_str(
    "LDV_SERVICE_NAME", "vik", help="service.name resource attribute of processing-log spans (OTLP sink)."
)
# django-fernet-encrypted-fields reads SALT_KEY; VIK's own fields use FIELD_ENCRYPTION_KEYS instead.
SALT_KEY = ["unused-by-vik"]

# Celery
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int(
    "CELERY_TASK_TIME_LIMIT",
    1200,
    help="Hard time limit of a Celery task in seconds (the longest task, an import at its row limit, takes a few minutes).",
)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", False, help="Run tasks in-process (tests only)."
)
# A message a dead worker held comes back after the visibility timeout: just above the hard time
# limit, so it is never redelivered while a live worker still runs it, and never waits an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 120}
# Publishing while Redis is down fails fast (the outbox keeps the task) instead of hanging a request.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

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

# --- Base registries (BRP Personen, BRP Bewoning, BAG, KvK); see docs/registries.md -------------
# A registry whose URL is empty is "not configured": VIK keeps working with manual entry.
REGISTRIES_STANDIN = env_bool(
    "REGISTRIES_STANDIN",
    False,
    help="Use VIK's local registry stand-in (fictitious demo data) for every registry whose URL is not set. "
    "On in dev/demo; production refuses it.",
)
REGISTRIES_STANDIN_PORT = env_int(
    "REGISTRIES_STANDIN_PORT", 8790, help="Port of the local registry stand-in."
)
_STANDIN = f"http://127.0.0.1:{REGISTRIES_STANDIN_PORT}" if REGISTRIES_STANDIN else ""
REGISTRIES = {
    "brp": {
        "url": env_str(
            "REGISTRIES_BRP_URL",
            "",
            help="Base URL of BRP API Personen at the municipal gateway (VIK posts to {url}/personen).",
        ),
        "api_key": env_str("REGISTRIES_BRP_API_KEY", "", help="Key for the BRP gateway (secret)."),
        "api_key_header": env_str(
            "REGISTRIES_BRP_API_KEY_HEADER", "X-API-KEY", help="Header that carries the BRP gateway key."
        ),
    },
    "bewoning": {
        "url": env_str(
            "REGISTRIES_BEWONING_URL",
            "",
            help="Base URL of BRP API Bewoning at the gateway (VIK posts to {url}/bewoningen).",
        ),
        "api_key": env_str("REGISTRIES_BEWONING_API_KEY", "", help="Key for the Bewoning gateway (secret)."),
        "api_key_header": env_str(
            "REGISTRIES_BEWONING_API_KEY_HEADER", "X-API-KEY", help="Header that carries the Bewoning key."
        ),
    },
    "bag": {
        "url": env_str(
            "REGISTRIES_BAG_URL",
            "",
            help="Base URL of the BAG API Individuele Bevragingen v2.",
        ),
        "api_key": env_str("REGISTRIES_BAG_API_KEY", "", help="Kadaster BAG API key (secret)."),
        "api_key_header": "X-Api-Key",
    },
    "kvk": {
        "url": env_str(
            "REGISTRIES_KVK_URL",
            "",
            help="Base URL of the KvK APIs up to /api (VIK calls {url}/v2/zoeken and {url}/v1/basisprofielen).",
        ),
        "api_key": env_str("REGISTRIES_KVK_API_KEY", "", help="KvK API key (secret)."),
        "api_key_header": "apikey",
    },
}
for _name, _path in {
    "brp": "/haalcentraal/api/brp",
    "bewoning": "/haalcentraal/api/bewoning",
    "bag": "/lvbag/individuelebevragingen/v2",
    "kvk": "/kvk/api",
}.items():
    if _STANDIN and not REGISTRIES[_name]["url"]:
        REGISTRIES[_name]["url"] = _STANDIN + _path
# RvIG: OAuth2 client credentials (DigiNetwerk, PKIoverheid); one client for Personen and Bewoning.
_BRP_OAUTH = {
    "token_url": env_str(
        "REGISTRIES_BRP_TOKEN_URL", "", help="RvIG OAuth2 token URL (client credentials); empty: no token."
    ),
    "client_id": env_str("REGISTRIES_BRP_CLIENT_ID", "", help="RvIG OAuth2 client id."),
    "client_secret": env_str("REGISTRIES_BRP_CLIENT_SECRET", "", help="RvIG OAuth2 client secret (secret)."),
    "scope": env_str(
        "REGISTRIES_BRP_SCOPE", "", help="RvIG OAuth2 scope: {afnemersindicatie}-{OIN} of the municipality."
    ),
    "resource_server": env_str(
        "REGISTRIES_BRP_RESOURCE_SERVER", "ResourceServer01", help="RvIG OAuth2 resourceServer parameter."
    ),
}
REGISTRIES["brp"]["oauth"] = _BRP_OAUTH
REGISTRIES["bewoning"]["oauth"] = _BRP_OAUTH
REGISTRIES_TIMEOUT = env_int("REGISTRIES_TIMEOUT", 5, help="Seconds before a registry call times out.")
REGISTRIES_RETRIES = env_int("REGISTRIES_RETRIES", 2, help="Extra attempts for idempotent registry calls.")
REGISTRIES_CA_BUNDLE = env_str(
    "REGISTRIES_CA_BUNDLE", "", help="CA bundle to trust for the registries (e.g. PKIoverheid Private Root)."
)
REGISTRIES_CLIENT_CERT = env_str(
    "REGISTRIES_CLIENT_CERT", "", help="PEM client certificate (PKIoverheid, with OIN) for mutual TLS."
)
REGISTRIES_CLIENT_KEY = env_str(
    "REGISTRIES_CLIENT_KEY", "", help="PEM private key of the client certificate."
)
REGISTRIES_OIN = env_str("REGISTRIES_OIN", "", help="OIN of the municipality, sent in the origin-OIN header.")
REGISTRIES_DOELBINDING = env_str(
    "REGISTRIES_DOELBINDING",
    "BRPACT-Ondermijning",
    help="Value of the purpose (doelbinding) header the gateway expects for VIK's queries.",
)
REGISTRIES_VERWERKING = env_str(
    "REGISTRIES_VERWERKING",
    "Ondermijning@VIK",
    help="VIK's processing activity (verwerking) sent to the gateway; the user's purpose is appended.",
)
REGISTRIES_HEADERS = {
    "doelbinding": env_str("REGISTRIES_HEADER_DOELBINDING", "x-doelbinding", help="Purpose header name."),
    "verwerking": env_str("REGISTRIES_HEADER_VERWERKING", "x-verwerking", help="Processing header name."),
    "oin": env_str("REGISTRIES_HEADER_OIN", "x-origin-oin", help="Origin OIN header name."),
    "gebruiker": env_str("REGISTRIES_HEADER_GEBRUIKER", "x-gebruiker", help="End-user header name."),
}
REGISTRIES_BREAKER_FAILURES = env_int(
    "REGISTRIES_BREAKER_FAILURES", 5, help="Consecutive failures after which a registry is paused."
)
REGISTRIES_BREAKER_SECONDS = env_int(
    "REGISTRIES_BREAKER_SECONDS", 30, help="Seconds a paused registry is left alone before VIK tries again."
)
REGISTRIES_BACKOFF = 0.5  # seconds; doubled per retry

ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object
GUARDIAN_MONKEY_PATCH_USER = False

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "scrub": {"()": "vik.core.logging.ScrubFilter"},
        "trace": {"()": "vik.core.logging.TraceFilter"},
    },
    "formatters": {"traced": {"format": "%(levelname)s %(name)s trace=%(trace_id)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub", "trace"], "formatter": "traced"}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO", help="Root log level.")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- REST API (/api/v1; api/, docs/api.md) ---------------------------------------------------------
# Bearer tokens of the municipal IdP (client credentials), validated here on their own settings
# (the login's OIDC_* settings are separate: a different audience and client).
API_OAUTH_ISSUER = env_str(
    "API_OAUTH_ISSUER", "", help="Issuer (`iss`) of access tokens for the API. Empty: API keys only."
)
API_OAUTH_AUDIENCE = env_str(
    "API_OAUTH_AUDIENCE", "vik-api", help="Audience (`aud`) the API's access tokens must carry."
)
API_OAUTH_JWKS_URL = env_str(
    "API_OAUTH_JWKS_URL", "", help="JWKS URL of the IdP whose keys sign the API's access tokens."
)
API_OAUTH_ALGORITHMS = ["RS256", "ES256", "PS256"]
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120, help="Requests per minute per API client.")
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 256 * 1024, help="Largest JSON body the API accepts.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.rest.ClientRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["api.rest.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "UNAUTHENTICATED_TOKEN": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VIK API",
    "DESCRIPTION": "API van het veiligheidsinformatieknooppunt (VIK) voor partners en koppelingen. "
    "Zie docs/api.md voor authenticatie en de doel-header X-VIK-Doel.",
    "VERSION": "1.0.0",
    "CONTACT": {"name": "Team Veiligheid, functioneel beheer VIK", "email": "vik-beheer@twenterand.nl"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_api_paths"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SignaalStatusEnum": "signals.constants.SignalStatus",
        "ActieStatusEnum": "meetings.constants.ActionStatus",
    },
}
