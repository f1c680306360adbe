"""A real Celery worker on a real Redis: exactly-once delivery under concurrency and faults.

Each test starts its own ``redis-server`` on a free port (stopping it touches nothing else)
and a worker subprocess on the same PostgreSQL test database (rows are committed:
``transaction=True``). The SMS provider of the worker appends to files in ``tmp_path``
(see ``fakes.FileSmsProvider``), which is how the test counts messages across processes.
Outside CI the tests skip when redis-server is missing; in CI they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import services
from notifications.choices import DeliveryStatus
from notifications.models import Delivery
from tests.factories import ApiTokenFactory, NotificationPreferenceFactory, UserFactory
from tests.notifications.fakes import read_log
from tracker.celery import app as celery_app

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(90),
]

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    def __init__(self, binary: str, folder: Path) -> None:
        self.binary, self.folder = binary, folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class Worker:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self) -> None:
        self.runs += 1
        self.log = self.folder / f"worker-{self.runs}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
                [
                    CELERY,
                    "-A",
                    "tracker",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    f"--hostname=notify-test-{os.getpid()}-{self.runs}@%h",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed as a whole
            )
        wait_for(self._ready, 30, f"the worker to start ({self.log})")

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(self.log.read_text(errors="replace")[-3000:])
        return b" ready." in self.log.read_bytes()

    def kill(self) -> None:
        """SIGKILL the main process and its pool child, as a crash would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    port = s["PORT"] or 5432
    if (s["HOST"] or "").startswith("/"):
        # A socket directory (the embedded server): libpq's host parameter, which
        # django-environ passes through OPTIONS; a URL's host part cannot hold a path.
        return f"postgres://{auth}@/{s['NAME']}?host={quote(s['HOST'])}&port={port}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{port}/{s['NAME']}"


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("redis-server is not installed")
    assert binary is not None
    server = RedisServer(binary, tmp_path)
    server.start()
    # Point this process's Celery app (the sweep enqueues after commit) at our server.
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = server.url
    celery_app.conf.broker_transport_options = {"socket_timeout": 2, "socket_connect_timeout": 1}
    celery_app.conf.broker_connection_max_retries = 1
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield server
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    server.stop()


@pytest.fixture
def worker(redis: RedisServer, tmp_path: Path) -> Iterator[Worker]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "REDIS_URL": redis.url,
        "DATABASE_URL": _database_url(),
        "NOTIFY_TEST_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TEST_DB_NAME", None)
    w = Worker(env, tmp_path)
    yield w
    w.stop()


def due_reminder_for_sms_user() -> Any:
    """A user who wants SMS only, and a target whose one-hour reminder came due a minute ago."""
    user = UserFactory()
    NotificationPreferenceFactory(
        user=user, in_app=False, email=False, sms=True, phone="09121234567"
    )
    token = ApiTokenFactory(user=user, expires_at=timezone.now() + timedelta(minutes=59))
    with transaction.atomic():
        services.reminders_refresh(target=token)
    return token


def sms_log(tmp_path: Path) -> list[dict[str, Any]]:
    return read_log(tmp_path / "sms.log")


def test_two_sweeps_at_once_give_one_delivery_each(worker: Worker, tmp_path: Path) -> None:
    for _ in range(20):
        due_reminder_for_sms_user()
    worker.start()
    barrier = threading.Barrier(2)
    results: list[services.SweepResult] = []

    def sweep() -> None:
        try:
            barrier.wait(5)
            results.append(services.reminders_sweep())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r.dispatched for r in results) == 20
    assert Delivery.objects.count() == 20
    wait_for(lambda: len(sms_log(tmp_path)) >= 20, 30, "20 messages")
    time.sleep(1)  # room for a duplicate to show up
    references = [m["reference"] for m in sms_log(tmp_path)]
    assert len(references) == len(set(references)) == 20
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_worker_killed_mid_send_delivers_exactly_once_after_restart(
    worker: Worker, tmp_path: Path
) -> None:
    due_reminder_for_sms_user()
    (tmp_path / "block").touch()
    worker.start()
    services.reminders_sweep()
    wait_for((tmp_path / "started").exists, 20, "the send to begin")
    worker.kill()
    (tmp_path / "block").unlink()
    assert sms_log(tmp_path) == []
    worker.start()
    wait_for(lambda: sms_log(tmp_path), 30, "the message after restart")
    time.sleep(1)
    assert len(sms_log(tmp_path)) == 1
    assert len(read_log(tmp_path / "attempts.log")) == 2  # the killed send, then the real one
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_with_redis_down_a_save_succeeds_at_once_and_the_reminder_goes_out_once_it_is_back(
    redis: RedisServer, worker: Worker, tmp_path: Path
) -> None:
    redis.stop()
    started = time.monotonic()
    due_reminder_for_sms_user()  # the target's save, with its reminders_refresh
    assert time.monotonic() - started < 1.0
    # A sweep that runs while Redis is down commits its deliveries, then fails to publish.
    with pytest.raises(OperationalError):
        services.reminders_sweep()
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    redis.start()
    worker.start()
    # A later sweep finds the delivery whose message never left and enqueues it again.
    result = services.reminders_sweep(now=timezone.now() + timedelta(minutes=7))
    assert result.reenqueued == 1
    wait_for(lambda: sms_log(tmp_path), 30, "the message after Redis came back")
    time.sleep(1)
    assert len(sms_log(tmp_path)) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_provider_failing_three_times_then_succeeding_sends_one_message(
    worker: Worker, tmp_path: Path
) -> None:
    due_reminder_for_sms_user()
    (tmp_path / "fail").write_text("3")
    worker.start()
    services.reminders_sweep()
    wait_for(lambda: sms_log(tmp_path), 40, "the message after three failures")
    time.sleep(1)
    assert len(sms_log(tmp_path)) == 1
    assert len(read_log(tmp_path / "attempts.log")) == 4
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 4)
