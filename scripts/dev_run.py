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

honcho also stops everything when one process exits. For the worker and beat that is too
much (a crashed worker would end the whole session, its reason lost in the scrollback), so
the Procfile runs them under ``dev_run.py keep NAME -- COMMAND``: it restarts the command
when it dies, saying plainly which process died with which exit code, and gives up (and
so lets honcho stop the rest) only after ``--max-restarts`` deaths within a minute, again
saying so. supervisord or systemd would do the restarting, but they are not a pip install
away on a newcomer's machine, and honcho has no restart option.

Metrics: every process writes its counters to ``PROMETHEUS_MULTIPROC_DIR`` (``var/metrics``
unless set), emptied at each start because its files name process ids of earlier runs.

"Ready" is printed once ``/healthz`` is 200; the beat and worker need a few seconds to
start (``/healthz`` says ``starting`` meanwhile), so a 503 is reported only if it lasts
``HEALTHY_GRACE`` seconds after web first answered, and then by the parts that fail.
"""

from __future__ import annotations

import json
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
# After web answers, how long the others may take to become healthy before it is said.
HEALTHY_GRACE = 60.0
# `keep`: wait this long before a restart; give up after this many deaths in RESTART_WINDOW.
RESTART_DELAY = 2.0
MAX_RESTARTS = 5
RESTART_WINDOW = 60.0


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
    # web and worker count their metrics into one directory; /metrics sums them.
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(default_var_dir() / "metrics"))
    return env


def reset_metrics_dir(env: Mapping[str, str]) -> bool:
    """Empty ``PROMETHEUS_MULTIPROC_DIR`` before the processes start (a step of ``run``):
    its files belong to processes of an earlier run, whose counts would be summed in."""
    folder = env.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return True
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    removed = 0
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)
        removed += 1
    say(f"metrics directory {path} emptied ({removed} files of an earlier run)")
    return True


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


def _healthz(url: str) -> tuple[int | None, dict[str, object]]:
    """The status and JSON body of ``url``; ``(None, {})`` while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 -- our own http URL
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read() or b"{}")
        except ValueError:
            body = {}
        return exc.code, body if isinstance(body, dict) else {}
    except (OSError, ValueError):
        return None, {}


def failing_parts(body: Mapping[str, object]) -> str:
    """``beat stale, workers none`` from a /healthz body."""
    parts = [
        f"{name} {state}"
        for name, state in body.items()
        if name not in ("status", "details") and state not in ("ok", "starting")
    ]
    return ", ".join(parts) or "unknown"


def announce_when_ready(
    port: str,
    env: Mapping[str, str],
    stop: threading.Event,
    *,
    grace: float = HEALTHY_GRACE,
    timeout: float = READY_TIMEOUT,
) -> None:
    """Print the address and the demo logins once /healthz is 200 (in a thread).

    Nothing is printed while the processes start: a 503 is said only when it outlasts
    ``grace`` after web first answered, naming the failing parts (then "ready" follows,
    because the pages work without a worker)."""
    url = f"http://127.0.0.1:{port}/healthz"
    password = env.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    deadline = time.monotonic() + timeout
    answered_at: float | None = None
    status: int | None = None
    body: dict[str, object] = {}
    while not stop.is_set():
        status, body = _healthz(url)
        now = time.monotonic()
        if status == 200:
            break
        if status is not None and answered_at is None:
            answered_at = now
        if answered_at is not None and now - answered_at >= grace:
            say(f"/healthz still answers {status} after {grace:g}s: {failing_parts(body)}")
            say("the pages work; see the worker and beat lines above for why")
            break
        if answered_at is None and now >= deadline:
            say(f"web did not answer {url} within {timeout:g}s")
            return
        stop.wait(0.5)
    if stop.is_set():
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
    steps: Sequence[Callable[[Mapping[str, str]], bool]] = (reset_metrics_dir, prepare),
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
        status = honcho.wait()
        if status not in (0, 130, 143) and not stopping.is_set():
            say(
                f"stopped: a process exited with status {status} and honcho stopped the "
                "others; its last lines and 'NAME stopped (rc=…)' are above"
            )
        return status
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


def keep_main(argv: list[str]) -> int:
    """``dev_run.py keep NAME [--delay S] [--max-restarts N] -- COMMAND...``: run COMMAND,
    restart it when it dies (not when it was told to stop), say so plainly each time."""
    import argparse

    parser = argparse.ArgumentParser(prog="dev_run.py keep")
    parser.add_argument("name")
    parser.add_argument("--delay", type=float, default=RESTART_DELAY)
    parser.add_argument("--max-restarts", type=int, default=MAX_RESTARTS)
    if "--" not in argv:
        parser.error("usage: keep NAME [options] -- COMMAND...")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]
    if not command:
        parser.error("no command after --")
    stopping = threading.Event()

    def note_stop(_signum: int, _frame: object) -> None:
        # Not forwarded: honcho signals the whole process group (os.killpg), so the child
        # has it already; a second SIGTERM would cut Celery's warm shutdown short.
        stopping.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, note_stop)
    deaths: list[float] = []
    while True:
        child = subprocess.Popen(command)  # noqa: S603 -- the Procfile's command
        code = child.wait()
        if stopping.is_set():
            return code
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        now = time.monotonic()
        deaths = [t for t in deaths if now - t < RESTART_WINDOW] + [now]
        if len(deaths) > args.max_restarts:
            say(
                f"!!! {args.name} died ({how}) {len(deaths)} times within "
                f"{RESTART_WINDOW:g}s: giving up, make run stops"
            )
            return code if code > 0 else 1
        say(
            f"!!! {args.name} died ({how}); restarting it in {args.delay:g}s "
            f"(restart {len(deaths)} of at most {args.max_restarts} a minute)"
        )
        if stopping.wait(args.delay):
            return code


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
    elif sys.argv[1:2] == ["keep"]:
        sys.exit(keep_main(sys.argv[2:]))
    else:
        sys.exit(main())
