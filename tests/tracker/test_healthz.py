"""/healthz: database, broker, the beat's heartbeat (an injected clock) and the workers.

The worker ping is real where it matters: no worker runs during the suite, so a ping to
the test Redis gets no answer, as in production when the worker died.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from celery.signals import before_task_publish, task_postrun
from django.core.cache import cache
from django.utils import timezone

from tests.factories import UserFactory
from tracker import healthchecks
from tracker.celery import app

PONG = [{"celery@worker-1": {"ok": "pong"}}]


@pytest.fixture(autouse=True)
def _clean_heartbeat() -> Iterator[None]:
    cache.delete_many([healthchecks.BEAT_HEARTBEAT_KEY, healthchecks.LAST_SWEEP_KEY])
    yield
    cache.delete_many([healthchecks.BEAT_HEARTBEAT_KEY, healthchecks.LAST_SWEEP_KEY])


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The health check's clock, settable: ``frozen.now = ...``."""

    class Clock:
        now = timezone.now()

    monkeypatch.setattr(healthchecks, "clock", lambda: Clock.now)
    return Clock


def _beat_sent_sweep() -> None:
    # What the beat process does every minute: publish the sweep (the signal, not a broker).
    before_task_publish.send(sender=healthchecks.SWEEP_TASK, body=(), headers={})


def test_healthz_ok_when_database_broker_beat_and_a_worker_answer(client, db, frozen):
    _beat_sent_sweep()
    with mock.patch.object(app.control, "ping", return_value=PONG):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "beat": "ok",
        "workers": "ok",
    }


def test_beat_is_stale_after_three_silent_sweeps(client, db, frozen):
    _beat_sent_sweep()
    sent_at = timezone.now()
    with mock.patch.object(app.control, "ping", return_value=PONG):
        frozen.now = sent_at + timedelta(seconds=179)
        assert client.get("/healthz").status_code == 200
        frozen.now = sent_at + timedelta(seconds=181)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == "stale"
    assert response.json()["workers"] == "ok"


def test_a_beat_never_seen_is_stale(client, db, frozen):
    with mock.patch.object(app.control, "ping", return_value=PONG):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == "stale"


def test_no_worker_answers_the_ping(client, db, frozen, settings):
    settings.HEALTHZ_PING_TIMEOUT = 0.3
    _beat_sent_sweep()
    response = client.get("/healthz")  # the real ping: no worker runs in the suite
    assert response.status_code == 503
    assert response.json()["workers"] == "none"
    assert response.json()["beat"] == "ok"


def test_other_tasks_published_are_no_heartbeat(db, frozen):
    before_task_publish.send(sender="notifications.tasks.send_delivery_chunk", body=(), headers={})
    assert cache.get(healthchecks.BEAT_HEARTBEAT_KEY) is None


def test_finished_sweep_is_recorded_with_its_counts(db):
    task = mock.Mock()
    task.name = healthchecks.SWEEP_TASK
    task_postrun.send(sender=task, retval={"dispatched": 3}, state="SUCCESS", task_id="x")
    recorded = cache.get(healthchecks.LAST_SWEEP_KEY)
    assert recorded["result"] == {"dispatched": 3}
    assert recorded["state"] == "SUCCESS"


def _broker_down() -> Any:
    return mock.patch.object(
        app, "connection_for_write", side_effect=ConnectionRefusedError("10.0.0.5:6379")
    )


def test_anonymous_callers_get_the_failing_part_without_exception_texts(client, db, frozen):
    with _broker_down(), mock.patch.object(app.control, "ping", return_value=[]):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"] == "down"
    assert body["database"] == "ok"
    assert "details" not in body
    text = response.content.decode()
    assert "ConnectionRefused" not in text
    assert "redis" not in text


def test_staff_see_the_details(client, db, frozen):
    client.force_login(UserFactory(is_staff=True))
    _beat_sent_sweep()
    with _broker_down(), mock.patch.object(app.control, "ping", return_value=PONG):
        details = client.get("/healthz").json()["details"]
    assert details["broker_error"] == "ConnectionRefusedError"
    assert details["workers"] == ["celery@worker-1"]
    assert details["beat_last_run"] is not None


def test_web_check_needs_no_beat_and_no_worker(client, db):
    with mock.patch.object(app.control, "ping") as ping:
        response = client.get("/healthz/web")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    ping.assert_not_called()


def test_web_check_names_a_failing_broker(client, db):
    with _broker_down():
        response = client.get("/healthz/web")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
