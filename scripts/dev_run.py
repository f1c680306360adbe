"""Run the embedded stack in one terminal: ``make run``.

Migrates, loads the demo data, then supervises three children (web, Celery worker, Celery
beat): their output is prefixed with their name, Ctrl-C or SIGTERM stops all three, and if
one dies the others are stopped and the exit status is non-zero. Standard library only, so
it runs before anything else is configured.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DEMO_USERS = ("admin", "modir", "karshenas", "nazer")
DEFAULT_DEMO_PASSWORD = "tracker-demo-1399"  # noqa: S105 -- the public demo password
DEFAULT_PORT = "8000"
# Celery's warm shutdown finishes the running task; give it that long before SIGKILL.
STOP_TIMEOUT = 15.0
READY_TIMEOUT = 120.0


@dataclass
class Child:
    """One supervised process and the thread that copies its output."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen[str] | None = None
    reader: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    """Start children, relay their output, stop them all together."""

    def __init__(
        self,
        commands: Sequence[tuple[str, Sequence[str]]],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path = ROOT,
        out: IO[str] | None = None,
        stop_timeout: float = STOP_TIMEOUT,
        poll_interval: float = 0.2,
    ) -> None:
        self.children = [Child(name, list(argv)) for name, argv in commands]
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self.out = out if out is not None else sys.stdout
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.stop_requested = threading.Event()
        self._write_lock = threading.Lock()
        self._width = max((len(c.name) for c in self.children), default=0)

    # -- output ---------------------------------------------------------------------------
    def say(self, line: str, *, name: str = "dev_run") -> None:
        """Write one prefixed line; the lock keeps lines of different children whole."""
        with self._write_lock:
            self.out.write(f"{name:<{self._width}} | {line.rstrip()}\n")
            self.out.flush()

    def _relay(self, child: Child) -> None:
        assert child.process is not None  # noqa: S101 -- set before the thread starts
        assert child.process.stdout is not None  # noqa: S101
        for line in child.process.stdout:
            self.say(line, name=child.name)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        for child in self.children:
            child.process = subprocess.Popen(  # noqa: S603 -- fixed argv, no shell
                child.argv,
                cwd=self.cwd,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                # Own process group: the terminal's Ctrl-C reaches only the supervisor,
                # which then stops the children in order instead of racing them.
                process_group=0,
            )
            child.reader = threading.Thread(
                target=self._relay, args=(child,), name=f"relay-{child.name}", daemon=True
            )
            child.reader.start()
            self.say(f"started {child.name} (pid {child.process.pid}): {' '.join(child.argv)}")

    def request_stop(self, *_args: object) -> None:
        """Ask the supervision loop to stop everything (signal-handler compatible)."""
        self.stop_requested.set()

    def wait(self) -> int:
        """Block until a stop is requested (0) or a child exits (its status, never 0)."""
        while not self.stop_requested.is_set():
            for child in self.children:
                assert child.process is not None  # noqa: S101
                code = child.process.poll()
                if code is not None:
                    self.say(f"{child.name} exited with status {code}; stopping the others")
                    return code if code != 0 else 1
            self.stop_requested.wait(self.poll_interval)
        self.say("stopping")
        return 0

    def stop_all(self) -> None:
        """SIGTERM every live child's group, wait up to stop_timeout, then SIGKILL."""
        live = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in live:
            self._signal(child, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in live:
            assert child.process is not None  # noqa: S101
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop in {self.stop_timeout:g}s; killing it")
                self._signal(child, signal.SIGKILL)
                child.process.wait()
        for child in self.children:
            if child.reader is not None:
                child.reader.join(timeout=2)

    @staticmethod
    def _signal(child: Child, signum: signal.Signals) -> None:
        assert child.process is not None  # noqa: S101
        # The child leads its own group; grandchildren (if any) go down with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, signum)

    def run(self, on_started: Callable[[Supervisor], None] | None = None) -> int:
        """Start, supervise, stop; return the exit status for the whole stack."""
        try:
            self.start()
            if on_started is not None:
                on_started(self)
            return self.wait()
        finally:
            self.stop_all()


def install_signal_handlers(supervisor: Supervisor) -> None:
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)


# -- the real stack -----------------------------------------------------------------------
def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Embedded mode: DEBUG=1 gives SECRET_KEY a dev default and lets runserver serve static.
    env.setdefault("DEBUG", "1")
    # Links in e-mails and calendar files point at the port this run serves.
    env.setdefault("SITE_URL", f"http://127.0.0.1:{env.get('PORT', DEFAULT_PORT)}")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def stack_commands(port: str) -> list[tuple[str, list[str]]]:
    python = sys.executable
    return [
        ("web", [python, "manage.py", "runserver", f"0.0.0.0:{port}", "--noreload"]),
        # solo pool: one process, no fork; SQLite and the filesystem broker on a small box.
        ("worker", [python, "-m", "celery", "-A", "tracker", "worker", "-l", "info",
                    "--pool=solo"]),
        ("beat", [python, "-m", "celery", "-A", "tracker", "beat", "-l", "info"]),
    ]  # fmt: skip


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


def announce_when_ready(port: str, env: Mapping[str, str]) -> Callable[[Supervisor], None]:
    """Return an on_started hook that prints the address once /healthz answers."""
    url = f"http://127.0.0.1:{port}/healthz"
    password = env.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)

    def poll(supervisor: Supervisor) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while not supervisor.stop_requested.is_set() and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except urllib.error.HTTPError as exc:
                # The server answers, /healthz just is not green (or not written yet).
                supervisor.say(f"/healthz answered {exc.code}")
                break
            except OSError:
                supervisor.stop_requested.wait(0.5)
        else:
            if not supervisor.stop_requested.is_set():
                supervisor.say(f"web did not answer {url} within {READY_TIMEOUT:g}s")
            return
        supervisor.say("=" * 60)
        supervisor.say(f"ready: http://127.0.0.1:{port}/  (admin: http://127.0.0.1:{port}/admin/)")
        supervisor.say(f"demo users: {', '.join(DEMO_USERS)}; password: {password}")
        supervisor.say("Ctrl-C stops web, worker and beat")
        supervisor.say("=" * 60)

    def on_started(supervisor: Supervisor) -> None:
        threading.Thread(target=poll, args=(supervisor,), name="ready", daemon=True).start()

    return on_started


def main() -> int:
    env = child_env()
    port = env.get("PORT", DEFAULT_PORT)
    out = sys.stdout
    try:
        out.write("dev_run | manage.py migrate --noinput\n")
        out.flush()
        if manage("migrate", "--noinput", env=env) != 0:
            out.write("dev_run | migrate failed; not starting the servers\n")
            return 1
        if manage("help", "load_demo", env=env, capture=True) != 0:
            out.write("dev_run | no load_demo command yet; skipping the demo data\n")
        else:
            out.write("dev_run | manage.py load_demo\n")
            out.flush()
            if manage("load_demo", env=env) != 0:
                out.write("dev_run | load_demo failed; not starting the servers\n")
                return 1
    except KeyboardInterrupt:
        return 130
    supervisor = Supervisor(stack_commands(port), env=env)
    install_signal_handlers(supervisor)
    return supervisor.run(on_started=announce_when_ready(port, env))


if __name__ == "__main__":
    sys.exit(main())
