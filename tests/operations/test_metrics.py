"""/metrics: refused without its token or an allowed address; the counters it promises."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from notifications.choices import DeliveryStatus, ReminderState
from operations.tasks import purge_old_notifications
from tests.factories import UserFactory

from .conftest import reminder_at

pytestmark = pytest.mark.django_db
TOKEN = "metrics-test-token-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _metrics_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]


def _scrape(client, **extra) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": f"Token {TOKEN}"},
        # A client writes X-Forwarded-For itself: it proves nothing.
        {"HTTP_X_FORWARDED_FOR": "10.0.0.1"},
    ],
)
def test_refused_without_the_token_or_an_allowed_address(client, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 403
    assert "tracker_" not in response.content.decode()
    assert response.json()["detail"] == "دسترسی به سنجه‌ها مجاز نیست."


def test_nothing_configured_means_nobody(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_an_allowed_address_needs_no_token(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_request_counts_latency_and_queries_per_view(client):
    client.force_login(UserFactory())
    client.get("/notifications/")
    text = _scrape(client)
    assert 'tracker_http_requests_total{method="GET",status="200",view="notifications:inbox"}' in (
        text
    )
    assert 'tracker_http_request_duration_seconds_bucket{le="0.01",method="GET",view="notifi' in (
        text
    )
    assert 'tracker_db_queries_total{view="notifications:inbox"}' in text


def test_reminders_due_deliveries_per_status_and_the_queue(client):
    user = UserFactory()
    past = timezone.now() - timedelta(hours=1)
    reminder_at(user, past, kind="due", state=ReminderState.PENDING, delivery=None)
    reminder_at(user, past, kind="f1", delivery=DeliveryStatus.FAILED)
    reminder_at(user, past, kind="s1")
    reminder_at(user, past, kind="s2")
    text = _scrape(client)
    assert "tracker_reminders_due 1.0" in text
    assert 'tracker_deliveries{status="failed"} 1.0' in text
    assert 'tracker_deliveries{status="sent"} 2.0' in text
    assert 'tracker_deliveries{status="pending"} 0.0' in text
    assert "tracker_queue_length " in text


def test_celery_tasks_are_counted_and_timed():
    name = purge_old_notifications.name
    labels = {"task": name, "state": "SUCCESS"}
    before = REGISTRY.get_sample_value("tracker_celery_tasks_total", labels) or 0
    purge_old_notifications.apply()
    assert REGISTRY.get_sample_value("tracker_celery_tasks_total", labels) == before + 1
    assert (
        REGISTRY.get_sample_value("tracker_celery_task_duration_seconds_count", {"task": name}) >= 1
    )


def test_the_grafana_dashboard_reads_only_metrics_the_endpoint_exports(client):
    """Every metric a panel queries is one /metrics serves: a renamed metric fails here."""
    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text("utf-8"))
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = set(re.findall(r"\btracker_[a-z_]+", " ".join(exprs)))
    client.get("/healthz/web")  # so that the request families have samples
    # ... and the task families: a labelled family has no sample until a task ran in this
    # process, which under pytest-xdist depends on which tests the worker ran before.
    purge_old_notifications.apply()
    exported = set(re.findall(r"^(tracker_[a-z_]+)", _scrape(client), re.MULTILINE))
    assert len(used) >= 8
    assert used <= exported, sorted(used - exported)
