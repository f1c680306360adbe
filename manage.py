#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import signal
import sys
from pathlib import Path

import environ


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.base")
    # The settings read .env the same way; reading it here first lets us see what is set.
    environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)
    if os.environ.get("DATABASE_URL"):
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
        return
    # No database configured: the embedded development mode, the same `make run` starts.
    # Production always sets DATABASE_URL and SECRET_KEY, and the web server (wsgi.py)
    # never takes this default.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from tracker.settings.embedded_postgres import EmbeddedPostgres, default_var_dir

    server = EmbeddedPostgres(default_var_dir())
    # A command finds the database running: if `make run` (or another command) started
    # it, it stays up; if this command had to start it, it stops it again on the way out,
    # so nothing is left running behind a one-off command.
    started = server.start()
    if started:
        # SIGTERM (a closed terminal, `kill`) should stop the server too, not only Ctrl-C.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    finally:
        if started:
            server.stop()


if __name__ == "__main__":
    main()
