"""Prometheus metrics at ``/metrics``: requests, database queries, Celery tasks, reminders,
deliveries and the queue.

Built on prometheus_client, the project's own client library. django-prometheus was
checked first: its query counts need the database ENGINE swapped for its wrapper backend
(the settings' database block is shared with the embedded server's), it labels requests by
view and method only, with no way to add the notifications gauges or the token guard
without code of our own anyway. What is measured:

- ``tracker_http_requests_total`` / ``tracker_http_request_duration_seconds`` per view
  name, method and status (view names, not paths: the label set stays bounded);
- ``tracker_db_queries_total`` per view (``connection.execute_wrapper``, no extra query);
- ``tracker_celery_tasks_total`` per task and state, ``…_task_duration_seconds`` per task;
- at scrape time: reminders due and pending, deliveries per status, the queue length.

Several processes (gunicorn workers, the Celery worker) each count for themselves; with
``PROMETHEUS_MULTIPROC_DIR`` set (a directory they all share) prometheus_client writes the
counters there and the endpoint sums them (docs/operations.md).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REQUESTS = Counter("tracker_http_requests", "HTTP requests answered.", ["view", "method", "status"])
LATENCY = Histogram(
    "tracker_http_request_duration_seconds",
    "Time to answer a request.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Counter("tracker_db_queries", "Database queries run by requests.", ["view"])
TASKS = Counter("tracker_celery_tasks", "Celery tasks finished.", ["task", "state"])
TASK_LATENCY = Histogram(
    "tracker_celery_task_duration_seconds",
    "Time a Celery task ran.",
    ["task"],
    buckets=(0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300),
)


def _view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "<unnamed>") if match else "<unresolved>"


class MetricsMiddleware:
    """Counts and times every request, and the database queries it ran."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        queries = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        view = _view_label(request)
        method = request.method or "?"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view, method).observe(time.perf_counter() - started)
        if queries:
            QUERIES.labels(view).inc(queries)
        return response


# --- Celery --------------------------------------------------------------------------------
_task_started: dict[str, float] = {}


def _task_prerun(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def _task_postrun(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    name = getattr(task, "name", None) or "?"
    TASKS.labels(name, state or "?").inc()
    started = _task_started.pop(task_id, None) if task_id else None
    if started is not None:
        TASK_LATENCY.labels(name).observe(time.perf_counter() - started)


def connect_celery_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_prerun, dispatch_uid="operations.metrics.prerun")
    task_postrun.connect(_task_postrun, dispatch_uid="operations.metrics.postrun")


# --- Read at scrape time ---------------------------------------------------------------------
class NotificationsCollector(Collector):
    """Gauges read from the database and the broker when Prometheus scrapes (every 15-60 s):
    two indexed counts and one broker call, whatever the table sizes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        # A scrape during a database or broker outage still gets the process metrics (and
        # /healthz says what is down): the gauges that cannot be read are left out.
        from django.db import DatabaseError

        try:
            yield from self._database_gauges()
        except DatabaseError:
            logger.warning("metrics: database gauges left out", exc_info=True)
        try:
            yield self._queue_gauge()
        except Exception:  # kombu raises the transport's own errors
            logger.warning("metrics: queue length left out", exc_info=True)

    @staticmethod
    def _database_gauges() -> list[GaugeMetricFamily]:
        from django.db.models import Count
        from django.utils import timezone

        from notifications.choices import DeliveryStatus, ReminderState
        from notifications.models import Delivery, Reminder

        due = GaugeMetricFamily(
            "tracker_reminders_due", "Pending reminders whose time has come (not yet swept)."
        )
        # The partial index reminder_due_pending answers this.
        pending_due = Reminder.objects.filter(
            state=ReminderState.PENDING, due_at__lte=timezone.now()
        )
        due.add_metric([], pending_due.count())
        deliveries = GaugeMetricFamily(
            "tracker_deliveries", "Deliveries stored, per status.", labels=["status"]
        )
        counts = dict(Delivery.objects.order_by().values_list("status").annotate(n=Count("id")))
        for status in DeliveryStatus.values:
            deliveries.add_metric([status], counts.get(status, 0))
        return [due, deliveries]

    @staticmethod
    def _queue_gauge() -> GaugeMetricFamily:
        from tracker.celery import app
        from tracker.healthchecks import queue_length

        queue = GaugeMetricFamily("tracker_queue_length", "Messages waiting for a worker.")
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            queue.add_metric([], queue_length(conn))
        return queue


def registry() -> CollectorRegistry:
    """The process's registry, or one summing every process's files in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        MultiProcessCollector(combined)
        return combined
    return REGISTRY


def render() -> tuple[bytes, str]:
    target = registry()
    scrape = CollectorRegistry()
    scrape.register(NotificationsCollector())
    return generate_latest(target) + generate_latest(scrape), CONTENT_TYPE_LATEST


# --- Who may read --------------------------------------------------------------------------------
def allowed(request: HttpRequest) -> bool:
    """A ``Bearer`` token equal to ``METRICS_TOKEN``, or a client address in
    ``METRICS_ALLOWED_IPS`` (addresses or networks). Nothing configured: nobody.

    The address is ``REMOTE_ADDR`` (the peer), never ``X-Forwarded-For``, which a client
    writes itself; behind a proxy use the token.
    """
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header.removeprefix("Bearer ").strip(), token)
    ):
        return True
    remote = request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS
    )
