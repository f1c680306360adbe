"""Run the embedded stack in one terminal: ``make run``.

Starts the project's own PostgreSQL under ``var/postgres/`` (unless ``DATABASE_URL`` is set),
migrates, loads the demo data, then hands web, Celery worker and Celery beat to honcho
(``Procfile``), and stops the database once honcho has stopped the three: Ctrl-C or SIGTERM
stops everything, and if one process dies honcho stops the others.

honcho replaced the hand-written supervisor this script used to be: it prefixes and colours
the output, stops all children when one exits or on Ctrl-C/SIGTERM, and reads the same
``Procfile`` that deployment tools understand. What it lacks, and why this script remains:
it cannot order steps (the database must be up and migrated before web starts, and stopped
after the others), and it sends SIGKILL 5 s after SIGTERM, a module constant
(``honcho.manager.KILL_WAIT``) with no option: an idle Celery worker already takes about
4 s for its warm shutdown, more on a busy machine, so ``python scripts/dev_run.py honcho
...`` runs honcho with that constant raised to ``STOP_TIMEOUT``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.settings.embedded_postgres import EmbeddedPostgres, default_var_dir  # noqa: E402

PROCFILE = ROOT / "Procfile"
DEMO_USERS = ("admin", "modir", "karshenas", "nazer")
DEFAULT_DEMO_PASSWORD = "tracker-demo-1399"  # noqa: S105 -- the public demo password
DEFAULT_PORT = "8000"
READY_TIMEOUT = 120.0
# Celery's warm shutdown finishes the running task; give it that long before SIGKILL.
STOP_TIMEOUT = 15


def say(line: str) -> None:
    sys.stdout.write(f"dev_run | {line}\n")
    sys.stdout.flush()


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Embedded mode: DEBUG=1 gives SECRET_KEY a dev default and lets runserver serve static.
    env.setdefault("DEBUG", "1")
    env.setdefault("PORT", DEFAULT_PORT)
    # Links in e-mails and calendar files point at the port this run serves.
    env.setdefault("SITE_URL", f"http://127.0.0.1:{env['PORT']}")
    env["PYTHONUNBUFFERED"] = "1"
    # The Procfile says `python`: the one of this virtualenv.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def manage(*args: str, env: Mapping[str, str], capture: bool = False) -> int:
    result = subprocess.run(  # noqa: S603 -- fixed argv, no shell
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        check=False,
        capture_output=capture,
        text=True,
    )
    return result.returncode


def prepare(env: Mapping[str, str]) -> bool:
    """Migrate and load the demo data; ``False`` if a step failed."""
    say("manage.py migrate --noinput")
    if manage("migrate", "--noinput", env=env) != 0:
        say("migrate failed; not starting the servers")
        return False
    if manage("help", "load_demo", env=env, capture=True) != 0:
        say("no load_demo command; skipping the demo data")
        return True
    say("manage.py load_demo")
    if manage("load_demo", env=env) != 0:
        say("load_demo failed; not starting the servers")
        return False
    return True


def announce_when_ready(port: str, env: Mapping[str, str], stop: threading.Event) -> None:
    """Print the address and the demo logins once /healthz answers (in a thread)."""
    url = f"http://127.0.0.1:{port}/healthz"
    password = env.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    deadline = time.monotonic() + READY_TIMEOUT
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except urllib.error.HTTPError as exc:
            # The server answers, /healthz just is not green.
            say(f"/healthz answered {exc.code}")
            break
        except OSError:
            stop.wait(0.5)
    else:
        if not stop.is_set():
            say(f"web did not answer {url} within {READY_TIMEOUT:g}s")
        return
    say("=" * 60)
    say(f"ready: http://127.0.0.1:{port}/  (admin: http://127.0.0.1:{port}/admin/)")
    say(f"demo users: {', '.join(DEMO_USERS)}; password: {password}")
    say("Ctrl-C stops web, worker, beat and the database")
    say("=" * 60)


def run(
    *,
    env: Mapping[str, str],
    procfile: Path = PROCFILE,
    server: EmbeddedPostgres | None,
    steps: Sequence[Callable[[Mapping[str, str]], bool]] = (prepare,),
    on_started: Callable[[threading.Event], None] | None = None,
) -> int:
    """Start the database (if ``server``), run ``steps``, then honcho; stop the database last.

    Returns honcho's status: 130 after Ctrl-C, 143 after SIGTERM, a child's status if it died.
    """
    honcho: subprocess.Popen[bytes] | None = None
    stopping = threading.Event()

    def forward(signum: int, _frame: object) -> None:
        # Ctrl-C in a terminal reaches honcho directly too (same process group); a signal
        # sent to this process alone is passed on. honcho ignores a second one.
        stopping.set()
        if honcho is not None and honcho.poll() is None:
            honcho.send_signal(signum)
        elif honcho is None:
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    started_db = False
    try:
        if server is not None:
            started_db = server.start()
            say(
                f"embedded PostgreSQL {'started' if started_db else 'already running'}: "
                f"{server.data_dir} (socket {server.socket_dir})"
            )
        for step in steps:
            if not step(env):
                return 1
        honcho = subprocess.Popen(  # noqa: S603 -- fixed argv, no shell
            [sys.executable, __file__, "honcho", "start", "-f", str(procfile), "-d", str(ROOT)],
            cwd=ROOT,
            env=dict(env),
        )
        if on_started is not None:
            threading.Thread(target=on_started, args=(stopping,), daemon=True).start()
        return honcho.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        stopping.set()
        if honcho is not None and honcho.poll() is None:
            honcho.terminate()
            honcho.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if started_db and server is not None:
            say("stopping the embedded PostgreSQL")
            server.stop()


def honcho_main(argv: list[str]) -> None:
    """honcho's command line, with the SIGTERM-to-SIGKILL wait of ``STOP_TIMEOUT``."""
    import honcho.manager
    from honcho.command import main as honcho_command

    honcho.manager.KILL_WAIT = STOP_TIMEOUT
    honcho_command(argv)


def main() -> int:
    import environ

    # As manage.py and the settings do: a DATABASE_URL in .env means "not the embedded one".
    environ.Env.read_env(ROOT / ".env", overwrite=False)
    env = child_env()
    port = env["PORT"]
    server = None if env.get("DATABASE_URL") else EmbeddedPostgres(default_var_dir())
    return run(
        env=env,
        server=server,
        on_started=lambda stop: announce_when_ready(port, env, stop),
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["honcho"]:
        honcho_main(sys.argv[2:])
    else:
        sys.exit(main())
