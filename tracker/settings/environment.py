"""The environment every settings module reads: the paths, one ``environ.Env`` (with
``.env`` read first), the embedded development switch and the secret key."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

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
