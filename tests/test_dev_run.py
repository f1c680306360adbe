"""scripts/dev_run.py stops all its children together, whatever ends the run.

The supervisor is driven with trivial Python children instead of the real servers.
"""

import importlib.util
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "dev_run.py"

SLEEPER = [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)"]
# Ignores SIGTERM, so only the SIGKILL after the timeout can stop it.
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('up', flush=True); time.sleep(60)",
]


def load_dev_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_run", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_run"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_run() -> ModuleType:
    return load_dev_run()


def make(dev_run: ModuleType, commands, **kwargs):
    return dev_run.Supervisor(commands, cwd=ROOT, out=io.StringIO(), poll_interval=0.05, **kwargs)


def all_stopped(supervisor) -> bool:
    return all(child.process.poll() is not None for child in supervisor.children)


def test_stop_request_stops_every_child_and_exits_zero(dev_run: ModuleType) -> None:
    supervisor = make(dev_run, [("web", SLEEPER), ("worker", SLEEPER), ("beat", SLEEPER)])
    threading.Timer(0.5, supervisor.request_stop).start()

    assert supervisor.run() == 0
    assert all_stopped(supervisor)
    assert {child.process.returncode for child in supervisor.children} == {-signal.SIGTERM}


def test_a_dying_child_stops_the_others_and_exits_non_zero(dev_run: ModuleType) -> None:
    dying = [sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit(3)"]
    supervisor = make(dev_run, [("web", SLEEPER), ("worker", dying), ("beat", SLEEPER)])

    started = time.monotonic()
    assert supervisor.run() == 3
    assert time.monotonic() - started < 10
    assert all_stopped(supervisor)
    assert "worker exited with status 3" in supervisor.out.getvalue()


def test_a_child_exiting_cleanly_still_counts_as_a_failure(dev_run: ModuleType) -> None:
    quitter = [sys.executable, "-c", "pass"]
    supervisor = make(dev_run, [("web", SLEEPER), ("beat", quitter)])

    assert supervisor.run() == 1
    assert all_stopped(supervisor)


def test_a_child_ignoring_sigterm_is_killed_after_the_timeout(dev_run: ModuleType) -> None:
    supervisor = make(dev_run, [("web", SLEEPER), ("stubborn", STUBBORN)], stop_timeout=1.0)

    def stop_when_up() -> None:
        # Stop only once the child has installed its SIGTERM handler.
        deadline = time.monotonic() + 10
        while supervisor.out.getvalue().count("| up") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        supervisor.request_stop()

    threading.Thread(target=stop_when_up, daemon=True).start()
    assert supervisor.run() == 0
    stubborn = supervisor.children[1].process
    assert stubborn.returncode == -signal.SIGKILL
    assert "stubborn did not stop in 1s; killing it" in supervisor.out.getvalue()


def test_output_lines_are_prefixed_with_the_child_name(dev_run: ModuleType) -> None:
    talker = [sys.executable, "-c", "print('سلام'); print('second line')"]
    supervisor = make(dev_run, [("web", SLEEPER), ("worker", talker)])

    supervisor.run()
    lines = supervisor.out.getvalue().splitlines()
    assert "worker | سلام" in lines
    assert "worker | second line" in lines


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_sigint_and_sigterm_stop_the_whole_stack(signum: signal.Signals) -> None:
    # A real process with the real signal handlers; its children print their pids.
    program = f"""
import sys
sys.path.insert(0, {str(SCRIPT.parent)!r})
import dev_run
child = [sys.executable, "-c", "import os, time; print(os.getpid(), flush=True); time.sleep(60)"]
supervisor = dev_run.Supervisor([("a", child), ("b", child)], stop_timeout=5)
dev_run.install_signal_handlers(supervisor)
sys.exit(supervisor.run())
"""
    proc = subprocess.Popen(  # noqa: S603 -- fixed argv
        [sys.executable, "-c", program],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    pids: list[int] = []
    for line in proc.stdout:
        name, _, text = line.partition(" | ")
        if name.strip() in {"a", "b"} and text.strip().isdigit():
            pids.append(int(text))
        if len(pids) == 2:
            break
    proc.send_signal(signum)
    proc.stdout.read()
    assert proc.wait(timeout=20) == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_children_default_to_debug_without_overriding_the_user(
    dev_run: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEBUG", raising=False)
    assert dev_run.child_env()["DEBUG"] == "1"
    monkeypatch.setenv("DEBUG", "0")
    assert dev_run.child_env()["DEBUG"] == "0"


def test_stack_runs_web_worker_and_beat(dev_run: ModuleType) -> None:
    commands = dict(dev_run.stack_commands("8123"))
    assert commands["web"][1:] == ["manage.py", "runserver", "0.0.0.0:8123", "--noreload"]
    assert commands["worker"][1:] == [
        "-m", "celery", "-A", "tracker", "worker", "-l", "info", "--pool=solo",
    ]  # fmt: skip
    assert commands["beat"][1:] == ["-m", "celery", "-A", "tracker", "beat", "-l", "info"]


def test_site_url_follows_the_port(dev_run: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8300")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert dev_run.child_env()["SITE_URL"] == "http://127.0.0.1:8300"
    monkeypatch.setenv("SITE_URL", "https://tracker.example.org")
    assert dev_run.child_env()["SITE_URL"] == "https://tracker.example.org"
