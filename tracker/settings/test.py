"""Test settings: the base settings with fast hashing, in-memory mail and eager checks.

CI sets ``DATABASE_URL`` and ``REDIS_URL``; without ``DATABASE_URL`` the suite runs on the
embedded PostgreSQL server under ``var/`` (``tests/conftest.py`` starts it). ``CI=true``
turns a missing service into a failure (see ``tests/conftest.py``).
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-secret")

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REST_FRAMEWORK, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Several developers may run the suite at once against one PostgreSQL server.
if env.str("TEST_DB_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DB_NAME")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
CELERY_TASK_ALWAYS_EAGER = False
# A fresh key prefix per test run: keys cached by an earlier run (or by a colleague's run on
# the same Redis) are never read back as if this run had written them.
for _cache in CACHES.values():
    _cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
# Tests run with DEBUG=0, where the demo password has no default; these users exist only in
# the throw-away test database.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tracker-demo-1399")
# django-axes needs the request in authenticate(), which the test client's login() does not
# pass; the tests of the login protection switch it on (tests/tracker/test_security_*).
AXES_ENABLED = False
# The suite's process is young: without this, /healthz would call a beat never seen
# "starting"; tests/tracker/test_healthz.py sets it where that grace is the point.
HEALTHZ_START_GRACE = 0
# No HTTPS in the test client or the live server; tests/tracker/test_security_deploy.py
# checks the production defaults.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
