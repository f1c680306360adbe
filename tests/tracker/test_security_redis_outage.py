"""A Redis outage takes neither the API nor the dashboard down.

The test runs a Redis server of its own on a free port, points the cache at it, proves the
cache is used, stops the server mid-test and asks again: the cache degrades (a miss, a
dropped write), the throttles count per process, every answer is still a 200.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from organizations import services
from tracker.api import throttling
from tracker.api.throttling import UserRateThrottle
from tracker.cache import outage

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnRedis:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        assert REDIS_SERVER is not None
        self.process = subprocess.Popen(  # noqa: S603 -- Debian's redis-server, fixed flags
            [REDIS_SERVER, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(settings: Any) -> Iterator[OwnRedis]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")  # CI installs it (.ci/run)
    server = OwnRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": f"outage-{server.port}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    try:
        yield server
    finally:
        server.stop()
        outage.down_until = 0.0  # the next test's cache is a live one
        throttling.local_counts.clear()


def test_api_and_dashboard_answer_while_redis_is_stopped(
    own_redis: OwnRedis, staff_a: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _, key = services.api_token_create(actor=staff_a, name="bi")
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    page = Client()
    page.force_login(staff_a)
    assert api.get("/api/v1/organizations/").status_code == 200
    assert api.get("/api/v1/stats/agreements-by-status/").status_code == 200
    assert page.get("/dashboard/").status_code == 200
    assert redis.Redis.from_url(own_redis.url).dbsize() > 0  # the cache was in use

    own_redis.stop()

    assert api.get("/api/v1/organizations/").status_code == 200
    assert api.get("/api/v1/stats/agreements-by-status/").status_code == 200
    assert page.get("/dashboard/").status_code == 200
    assert cache.get("anything", "missed") == "missed"
    assert "Redis did not answer" in caplog.text


def test_throttles_fall_back_to_a_per_process_count(
    own_redis: OwnRedis, staff_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    _, key = services.api_token_create(actor=staff_a, name="bi")
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    own_redis.stop()

    codes = [api.get("/api/v1/organizations/").status_code for _ in range(5)]

    assert codes == [200, 200, 200, 429, 429]
