"""``make run`` (scripts/dev_run.py + honcho): the database first, everything stopped together.

The stack is driven with a Procfile of trivial Python children and a throwaway embedded
PostgreSQL, instead of the real servers and the database under var/.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from honcho.environ import parse_procfile

from tracker.settings.embedded_postgres import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "dev_run.py"
SLEEPER = (
    f"{sys.executable} -c "
    "\"import os, time; print('pid', os.getpid(), flush=True); time.sleep(60)\""
)


def load_dev_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_run", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_run"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_run() -> ModuleType:
    return load_dev_run()


@pytest.fixture
def var_dir() -> Iterator[Path]:
    # Reachable by the unprivileged account the server runs as under root (tmp_path is 0700).
    path = Path(tempfile.mkdtemp(prefix="tracker-devrun-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        EmbeddedPostgres(path).stop()
        shutil.rmtree(path, ignore_errors=True)


def start_stack(var_dir: Path, procfile: str, *, steps: str = "()") -> subprocess.Popen[str]:
    """dev_run.run() in a process of its own, with the real signal handling."""
    (var_dir / "Procfile").write_text(procfile)
    program = f"""
import sys
sys.path.insert(0, {str(SCRIPT.parent)!r})
import dev_run
from pathlib import Path
from tracker.settings.embedded_postgres import EmbeddedPostgres
server = EmbeddedPostgres(Path({str(var_dir)!r}))
sys.exit(dev_run.run(env=dev_run.child_env(), procfile=Path({str(var_dir / "Procfile")!r}),
                     server=server, steps={steps}))
"""
    return subprocess.Popen(  # noqa: S603 -- fixed argv
        [sys.executable, "-c", program],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        start_new_session=True,  # a signal sent here reaches dev_run only, not pytest
    )


def read_pids(proc: subprocess.Popen[str], count: int) -> tuple[list[int], list[str]]:
    assert proc.stdout is not None
    pids: list[int] = []
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line)
        _, _, text = line.partition(" | ")
        if text.startswith("pid "):
            pids.append(int(text.split()[1]))
        if len(pids) == count:
            break
    return pids, seen


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait() is missing


def assert_gone(pids: list[int]) -> None:
    # The children leave a moment after honcho reports them stopped (honcho waits for the
    # shell that runs each command, the signal goes to the whole group).
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if alive(pid)]


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_every_process_and_then_the_database(
    var_dir: Path, signum: signal.Signals, status: int
) -> None:
    proc = start_stack(var_dir, f"a: {SLEEPER}\nb: {SLEEPER}\n")
    pids, seen = read_pids(proc, 2)
    assert len(pids) == 2, "".join(seen)
    assert EmbeddedPostgres(var_dir).is_running()

    proc.send_signal(signum)
    assert proc.stdout is not None
    output = proc.stdout.read()
    assert proc.wait(timeout=30) == status
    assert_gone(pids)
    assert "stopping the embedded PostgreSQL" in output
    assert not EmbeddedPostgres(var_dir).is_running()


def test_a_dying_process_stops_the_others_and_the_database(var_dir: Path) -> None:
    dying = f'{sys.executable} -c "import sys, time; time.sleep(1); sys.exit(3)"'
    proc = start_stack(var_dir, f"web: {SLEEPER}\nworker: {dying}\n")
    pids, _ = read_pids(proc, 1)
    assert proc.wait(timeout=30) == 3
    assert_gone(pids)
    assert not EmbeddedPostgres(var_dir).is_running()


def test_a_failing_preparation_starts_nothing_and_stops_the_database(var_dir: Path) -> None:
    proc = start_stack(var_dir, f"web: {SLEEPER}\n", steps="(lambda env: False,)")
    assert proc.stdout is not None
    output = proc.stdout.read()
    assert proc.wait(timeout=30) == 1
    assert "pid " not in output
    assert not EmbeddedPostgres(var_dir).is_running()


def test_the_procfile_runs_web_worker_and_beat() -> None:
    commands = parse_procfile((ROOT / "Procfile").read_text()).processes
    keep = "python scripts/dev_run.py keep"
    assert commands == {
        "web": "python manage.py runserver 0.0.0.0:$PORT --noreload",
        "worker": f"{keep} worker -- python -m celery -A tracker worker -l info --pool=solo",
        "beat": f"{keep} beat -- python -m celery -A tracker beat -l info",
    }


def test_children_default_to_debug_without_overriding_the_user(
    dev_run: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEBUG", raising=False)
    assert dev_run.child_env()["DEBUG"] == "1"
    monkeypatch.setenv("DEBUG", "0")
    assert dev_run.child_env()["DEBUG"] == "0"


def test_the_procfiles_python_is_the_virtualenvs(dev_run: ModuleType) -> None:
    path = dev_run.child_env()["PATH"].split(os.pathsep)
    assert path[0] == str(Path(sys.executable).parent)


def test_site_url_follows_the_port(dev_run: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8300")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert dev_run.child_env()["SITE_URL"] == "http://127.0.0.1:8300"
    monkeypatch.setenv("SITE_URL", "https://tracker.example.org")
    assert dev_run.child_env()["SITE_URL"] == "https://tracker.example.org"


def test_honcho_waits_stop_timeout_before_killing_a_child(
    dev_run: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import honcho.command
    import honcho.manager

    calls: list[list[str]] = []
    monkeypatch.setattr(honcho.manager, "KILL_WAIT", 5)
    monkeypatch.setattr(honcho.command, "main", calls.append)
    dev_run.honcho_main(["start", "-f", "Procfile"])
    assert calls == [["start", "-f", "Procfile"]]
    assert honcho.manager.KILL_WAIT == dev_run.STOP_TIMEOUT == 15


# --- a dying worker or beat is restarted, and said ------------------------------------------


def _keep(name: str, code: str, *, max_restarts: int = 5) -> str:
    return (
        f"{sys.executable} {SCRIPT} keep {name} --delay 0.1 --max-restarts {max_restarts} -- "
        f'{sys.executable} -c "{code}"'
    )


def test_a_dying_worker_is_restarted_and_named_while_the_rest_runs_on(var_dir: Path) -> None:
    marker = var_dir / "crashed-once"
    crash_once = (
        f"import os, sys, time, pathlib; m = pathlib.Path({str(marker)!r}); "
        "sys.exit(7) if not m.exists() and not m.touch() else None; "
        "print('pid', os.getpid(), flush=True); time.sleep(60)"
    )
    proc = start_stack(var_dir, f"web: {SLEEPER}\nworker: {_keep('worker', crash_once)}\n")
    pids, seen = read_pids(proc, 2)  # web, then the worker's second life
    assert len(pids) == 2, "".join(seen)
    text = "".join(seen)
    assert "worker died (exit code 7); restarting it" in text
    assert proc.poll() is None  # make run goes on
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    assert_gone(pids)


def test_a_worker_that_keeps_dying_ends_make_run_saying_so(var_dir: Path) -> None:
    always = "import sys; sys.exit(5)"
    proc = start_stack(
        var_dir, f"web: {SLEEPER}\nworker: {_keep('worker', always, max_restarts=2)}\n"
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    assert proc.wait(timeout=30) == 5
    assert output.count("worker died (exit code 5); restarting it") == 2
    assert "worker died (exit code 5) 3 times within 60s: giving up" in output
    assert "stopped: a process exited with status 5" in output
    assert not EmbeddedPostgres(var_dir).is_running()


# --- metrics directory ---------------------------------------------------------------------


def test_make_run_gives_the_processes_one_metrics_directory_emptied_at_start(
    dev_run: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    env = dev_run.child_env()
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "metrics")
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1234.db").write_bytes(b"old")
    (tmp_path / "metrics" / "keep.txt").write_text("not ours")
    assert dev_run.reset_metrics_dir(env)
    assert sorted(p.name for p in (tmp_path / "metrics").iterdir()) == ["keep.txt"]
    assert dev_run.reset_metrics_dir in dev_run.run.__kwdefaults__["steps"]


# --- "ready" without a 503 first -----------------------------------------------------------


class _Healthz:
    """A /healthz that answers the given statuses in turn (the last one for ever)."""

    def __init__(self, statuses: list[int]) -> None:
        import http.server
        import threading

        answers = list(statuses)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status = answers.pop(0) if len(answers) > 1 else answers[0]
                body = (
                    b'{"status": "ok"}'
                    if status == 200
                    else b'{"status": "unavailable", "database": "ok", "beat": "stale",'
                    b' "workers": "starting"}'
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = str(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _announce(dev_run: ModuleType, statuses: list[int], grace: float, capsys: Any) -> str:
    import threading

    server = _Healthz(statuses)
    try:
        dev_run.announce_when_ready(server.port, {}, threading.Event(), grace=grace, timeout=10)
    finally:
        server.close()
    return str(capsys.readouterr().out)


def test_ready_is_printed_after_the_start_without_a_503_first(
    dev_run: ModuleType, capsys: Any
) -> None:
    output = _announce(dev_run, [503, 503, 200], grace=30, capsys=capsys)
    assert "ready: http://127.0.0.1:" in output
    assert "503" not in output


def test_a_503_that_outlasts_the_grace_names_the_failing_parts(
    dev_run: ModuleType, capsys: Any
) -> None:
    output = _announce(dev_run, [503], grace=1, capsys=capsys)
    assert "/healthz still answers 503 after 1s: beat stale" in output
    assert "workers" not in output.split("beat stale")[1].splitlines()[0]
    assert "ready: http://127.0.0.1:" in output
