"""Settings read from the environment by one ``environ.Env``; see ``.env.example``.

Without ``DATABASE_URL`` and ``REDIS_URL`` the project runs embedded: its own PostgreSQL
server and Celery's filesystem broker under ``var/``. Production and CI set both.

The sections of their own are modules beside this one: ``environment`` (paths, ``env``,
``DEBUG``, ``SECRET_KEY``), then, imported at the end, ``api``, ``broker`` (cache, broker,
Celery), ``operations`` and ``security``.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tracker.logging import logging_config

from .embedded_postgres import EmbeddedPostgres
from .environment import BASE_DIR, DEBUG, VAR_DIR, env
from .environment import SECRET_KEY as SECRET_KEY

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
    "tracker.axes_app.AxesConfig",  # django-axes, under a Persian name in the admin
    "csp",
    "tracker",
    "organizations",
    "attachments",  # low: meetings and agreements register with it (attachments/registry.py)
    "meetings",
    "agreements",
    "notifications",
    "commitments",
    "dashboard",
    "operations",  # the top layer, above dashboard
    "imports",  # a top layer, next to operations
]

MIDDLEWARE = [
    # Outermost: times everything (tracker/logging.py).
    "tracker.logging.RequestLogMiddleware",
    "operations.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer, with a per-request nonce (security.py).
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
    # After authentication: renews a signed-in session's idle expiry (security.py).
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

# The published demo password is a default in the embedded dev mode only: with DEBUG=0
# load_demo refuses to run unless DEMO_PASSWORD is set (organizations/demo.py).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tracker-demo-1399" if DEBUG else "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Logs: "text" for a console, "json" for one object a line per request, task and message.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = logging_config(LOGGING, fmt=LOG_FORMAT)

# --- Imports from spreadsheets (docs/imports.md) ----------------------------------------------
# Largest upload (bytes) and most data rows of one import; beyond them a Persian 400.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Errors kept in a job's report (the count is always exact) and rows kept for the preview.
IMPORT_MAX_ERRORS = env.int("IMPORT_MAX_ERRORS", default=1000)
IMPORT_PREVIEW_ROWS = env.int("IMPORT_PREVIEW_ROWS", default=20)
# Seconds a preview's file waits for its confirmation (and a job that never ran, for a
# worker); then the sweep deletes the file and marks the job expired (imports/retention.py;
# its beat entry is in broker.py).
IMPORT_PREVIEW_RETENTION = env.int("IMPORT_PREVIEW_RETENTION", default=24 * 3600)


# --- Meetings from a report's text (docs/intake.md) -------------------------------------------
# Longest text «ثبت از روی متن» and POST /api/v1/meetings/from-text/ read (characters); a
# longer one is a Persian 400 on `text` (a news item or minutes is a few thousand; at most
# 200,000, the length of Meeting.source_text).
INTAKE_MAX_TEXT_LENGTH = env.int("INTAKE_MAX_TEXT_LENGTH", default=50_000)

from .api import *  # noqa: E402, F403
from .broker import *  # noqa: E402, F403
from .operations import *  # noqa: E402, F403
from .security import *  # noqa: E402, F403
