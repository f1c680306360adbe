"""Settings of the Celery worker the integration tests start (a subprocess).

The test settings plus: the test planner, the file-backed SMS provider, a one-second retry
backoff, and a five-second visibility timeout so a message of a killed worker comes back
in seconds instead of the production five minutes.
"""

import os

from tracker.settings.test import *  # noqa: F403

REDIS_URL = os.environ["REDIS_URL"]
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
NOTIFICATIONS_EXTRA_PLANNERS = ["tests.notifications.fakes.TokenExpiryPlanner"]
NOTIFICATIONS_RETRY_BACKOFF = 1
SMS_PROVIDER = "tests.notifications.fakes.FileSmsProvider"
