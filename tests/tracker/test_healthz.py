"""/healthz: database, broker, the beat's heartbeat (an injected clock) and the workers.

The worker ping is real where it matters: no worker runs during the suite, so a ping to
the test Redis gets no answer, as in production when the worker died.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from celery.signals import before_task_publish, task_postrun
from django.core.cache import cache
from django.utils import timezone

from operations import heartbeat
from tests.factories import UserFactory
from tracker import healthchecks
from tracker.celery import app

PONG = [{"celery@worker-1": {"ok": "pong"}}]
KEYS = [
    healthchecks.BEAT_HEARTBEAT_KEY,
    healthchecks.LAST_SWEEP_KEY,
    healthchecks.BEAT_STARTED_KEY,
    healthchecks.WORKER_STARTED_KEY,
]


@pytest.fixture(autouse=True)
def _clean_heartbeat() -> Iterator[None]:
    cache.delete_many(KEYS)
    yield
    cache.delete_many(KEYS)


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


# --- the filesystem broker (make run's) ------------------------------------------------------


@pytest.fixture
def filesystem_broker(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The folders of kombu's filesystem transport, as under make run, in tmp. The suite's
    broker stays Redis (the connection opens); the folder check sees these options, as it
    would see the filesystem transport's own."""
    options = {
        "data_folder_in": str(tmp_path / "out"),
        "data_folder_out": str(tmp_path / "out"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    for name in ("out", "processed", "control"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(healthchecks, "filesystem_options", lambda conn: options)
    return options


def test_the_filesystem_transport_is_recognised() -> None:
    from kombu import Connection

    with Connection("filesystem://", transport_options={"data_folder_in": "/x"}) as conn:
        assert healthchecks.filesystem_options(conn) == {"data_folder_in": "/x"}
    with Connection("memory://") as conn:
        assert healthchecks.filesystem_options(conn) is None


def test_a_working_filesystem_broker_is_ok(client, db, filesystem_broker):
    response = client.get("/healthz/web")
    assert response.json()["broker"] == "ok"
    # The probe file is gone again.
    assert not list(Path(filesystem_broker["data_folder_out"]).iterdir())


def test_a_filesystem_broker_without_its_folder_is_down(client, db, filesystem_broker):
    shutil.rmtree(filesystem_broker["data_folder_out"])
    response = client.get("/healthz/web")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_a_filesystem_broker_folder_that_cannot_be_written_is_down(
    client, db, filesystem_broker, monkeypatch
):
    # Root ignores file modes, so the refused write is simulated where it would happen.
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(healthchecks.tempfile, "NamedTemporaryFile", refuse)
    client.force_login(UserFactory(is_staff=True))
    body = client.get("/healthz/web").json()
    assert body["broker"] == "down"
    assert body["details"]["broker_error"] == "PermissionError"


# --- the first start: a grace until the first heartbeat ----------------------------------------


def test_a_beat_that_just_started_is_starting_not_stale(client, db, frozen):
    started = timezone.now()
    heartbeat.beat_started()
    with mock.patch.object(app.control, "ping", return_value=PONG):
        frozen.now = started + timedelta(seconds=30)
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["beat"] == "starting"
        # Three sweeps later with no heartbeat still: it is stale after all.
        frozen.now = started + timedelta(seconds=181)
        assert client.get("/healthz").json()["beat"] == "stale"


def test_a_beat_restarted_after_an_outage_is_starting_until_its_first_sweep(client, db, frozen):
    _beat_sent_sweep()
    frozen.now = timezone.now() + timedelta(hours=1)
    cache.set(healthchecks.BEAT_STARTED_KEY, frozen.now.isoformat())
    with mock.patch.object(app.control, "ping", return_value=PONG):
        assert client.get("/healthz").json()["beat"] == "starting"


def test_a_worker_that_just_started_is_starting_then_none(client, db, frozen, settings):
    settings.HEALTHZ_PING_TIMEOUT = 0.2
    _beat_sent_sweep()
    started = timezone.now()
    heartbeat.worker_started()
    frozen.now = started + timedelta(seconds=10)
    response = client.get("/healthz")  # the real ping: nobody answers
    assert response.json()["workers"] == "starting"
    assert response.status_code == 200
    frozen.now = started + timedelta(seconds=settings.HEALTHZ_WORKER_START_GRACE + 1)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == "none"


def test_a_young_web_process_calls_a_beat_and_worker_never_seen_starting(
    client, db, frozen, settings, monkeypatch
):
    """make run's first start: web answers before beat and worker have written anything."""
    settings.HEALTHZ_START_GRACE = 60
    settings.HEALTHZ_PING_TIMEOUT = 0.2
    monkeypatch.setattr(healthchecks, "process_started", timezone.now())
    frozen.now = healthchecks.process_started + timedelta(seconds=5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["beat"], response.json()["workers"]) == ("starting", "starting")
    frozen.now = healthchecks.process_started + timedelta(seconds=61)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert (response.json()["beat"], response.json()["workers"]) == ("stale", "none")
