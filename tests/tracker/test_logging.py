"""Structured logs: a JSON line per request and per task, the request id in the response
header and on the tasks the request enqueued, no secrets in any line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.test import RequestFactory
from kombu import Connection

from tests.factories import UserFactory
from tracker.celery import app
from tracker.logging import JsonFormatter, RequestLogMiddleware, logging_config, scrub


@shared_task(name="tests.tracker.test_logging.noop")
def noop(x: int) -> int:
    logging.getLogger("tests.noop").info("working on %s", x)
    return x


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


@pytest.mark.django_db
def test_one_json_line_per_request_with_its_id_also_in_the_header(client, caplog):
    user = UserFactory()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="tracker.request"):
        response = client.get("/notifications/?token=s3cret", HTTP_X_REQUEST_ID="abcdef12-r1")
    assert response["X-Request-ID"] == "abcdef12-r1"
    (line,) = _lines(caplog, "tracker.request")
    assert line["request_id"] == "abcdef12-r1"
    assert line["user_id"] == user.pk
    assert line["status"] == response.status_code
    assert line["view"] == "notifications:inbox"
    assert line["method"] == "GET"
    assert line["path"] == "/notifications/"
    assert isinstance(line["duration_ms"], float)
    assert {"time", "level"} <= set(line)
    assert "s3cret" not in json.dumps(line)


@pytest.mark.django_db
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(client):
    first = client.get("/healthz/web")["X-Request-ID"]
    odd = client.get("/healthz/web", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert len(first) == 32
    assert odd != "<script>"
    assert odd != first


def test_the_request_id_travels_to_the_task_and_its_log_line(caplog):
    """Publish through kombu's in-memory transport from inside a request, read the message
    back, and run the task with its headers as a worker would."""
    with Connection("memory://") as conn:

        def view(request: Any) -> HttpResponse:
            # celery-types omits apply_async's ``connection`` option, which Celery accepts.
            noop.apply_async((7,), connection=conn)  # type: ignore[call-arg]
            return HttpResponse("ok")

        response = RequestLogMiddleware(view)(RequestFactory().get("/x"))
        request_id = response["X-Request-ID"]
        message = conn.SimpleQueue(app.conf.task_default_queue).get(timeout=2)
        headers = message.headers
        message.ack()
    assert headers["request_id"] == request_id

    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="tracker.task"):
        noop.apply((7,), headers={"request_id": headers["request_id"]})
    work = [r for r in caplog.records if r.name == "tests.noop"]
    assert work[0].request_id == request_id  # the task's own log lines carry it too
    (line,) = _lines(caplog, "tracker.task")
    assert line["task"] == "tests.tracker.test_logging.noop"
    assert line["request_id"] == request_id
    assert line["status"] == "SUCCESS"
    assert line["duration_ms"] is not None


def test_a_task_outside_any_request_gets_an_id_of_its_own(caplog):
    with caplog.at_level(logging.INFO, logger="tracker.task"):
        noop.apply((1,), task_id="t-123")
    (line,) = _lines(caplog, "tracker.task")
    assert line["request_id"] == "task-t-123"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("login failed password=hunter2", "hunter2"),
        ('{"token": "9f8e7d6c"}', "9f8e7d6c"),
        ("Authorization: Token abcdef0123", "abcdef0123"),
        ("api_key=XYZ&page=2", "XYZ"),
    ],
)
def test_secrets_are_scrubbed_from_messages(text, secret):
    assert secret not in scrub(text)
    record = logging.makeLogRecord({"msg": text, "levelname": "INFO"})
    assert secret not in JsonFormatter().format(record)


def test_secret_extras_are_masked():
    record = logging.makeLogRecord({"msg": "x", "password": "p", "body": {"token": "t"}})
    line = json.loads(JsonFormatter().format(record))
    assert line["password"] == "***"
    assert line["body"] == {"token": "***"}


def test_log_format_json_puts_the_json_formatter_on_the_console_and_keeps_other_loggers():
    base = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},
            "loggers": {"axes": {"level": "WARNING"}}}  # fmt: skip
    config = logging_config(base, fmt="json")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["loggers"]["axes"] == {"level": "WARNING"}
    assert config["loggers"]["tracker.request"]["level"] == "INFO"
    assert logging_config(base, fmt="text")["loggers"]["tracker.request"]["level"] == "WARNING"
