#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

import environ


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.base")
    # The settings read .env the same way; reading it here first lets us see what is set.
    environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)
    if not os.environ.get("SECRET_KEY") and not os.environ.get("DATABASE_URL"):
        # Nothing configured: the embedded development mode (SQLite under var/), the same
        # mode `make run` starts. Production always sets DATABASE_URL and SECRET_KEY, and
        # the web server (wsgi.py) never takes this default.
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
