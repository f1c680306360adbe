"""Cache, broker and Celery: Redis when ``REDIS_URL`` is set, else the embedded file cache
and Celery's filesystem broker under ``var/``; the beat schedule."""

from celery.schedules import crontab

from .environment import VAR_DIR, env

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
    # At night in Tehran, when the sweep has the least to do.
    "operations-retention": {
        "task": "operations.tasks.purge_old_notifications",
        "schedule": crontab(hour=3, minute=30),
    },
    # Folds the dashboard summaries' delta rows (dashboard/summaries.py, compact).
    "dashboard-compact-summaries": {
        "task": "dashboard.tasks.compact_summaries",
        "schedule": crontab(minute=23),  # hourly
    },
    # Deletes the files of previews never confirmed and of jobs that never ran.
    "imports-file-sweep": {
        "task": "imports.tasks.sweep_import_files",
        "schedule": crontab(minute=41),  # hourly
    },
}
# The worker keeps Django's LOGGING (JSON lines) instead of installing its own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
