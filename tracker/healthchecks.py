"""What ``/healthz`` checks: the database, the broker, the beat's heartbeat, the workers.

The beat's heartbeat is a cache key written in the beat process each time it sends the
reminder sweep (``operations.heartbeat``); the sweep's own last run is written by the
worker that ran it. A worker answers ``celery control ping`` within a short timeout. The
clock is a module attribute so tests can move time without sleeping.

Checked first: django-health-check (its Celery check enqueues a task and waits for the
result, which needs a result backend this project does not run, and it has no notion of a
beat heartbeat). The checks below are a few lines each.

The broker check opens a connection; for kombu's filesystem transport (the embedded
default) that always succeeds, so its folders are also checked: each must be a directory
that a probe file can be written to and removed from (a deleted or read-only
``var/broker/`` is "down", as a refused Redis is).

A start is not an outage: the beat and each worker record when they started
(``operations.heartbeat``). A beat that started but has not sent its first sweep yet, or
a worker that started within ``HEALTHZ_WORKER_START_GRACE`` seconds and does not answer the
ping yet, is ``starting``, which counts as healthy. And while the web process itself is
younger than ``HEALTHZ_START_GRACE`` seconds, a beat or worker of which nothing was ever
recorded is ``starting`` too (``make run`` and compose start them together with web); past
that, a beat never seen is ``stale`` and no worker is ``none``, as before.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

#: Written by the beat process when it sends the sweep (ISO time).
BEAT_HEARTBEAT_KEY = "ops:beat:heartbeat"
#: Written by the worker when a sweep finished: {"at": ISO time, "result": {...}}.
LAST_SWEEP_KEY = "ops:sweep:last"
#: Written by the beat process when it starts (ISO time): the grace until its first sweep.
BEAT_STARTED_KEY = "ops:beat:started"
#: Written by each worker when it starts (ISO time).
WORKER_STARTED_KEY = "ops:worker:started"
#: States that count as healthy.
HEALTHY = frozenset({"ok", "starting"})
#: Long enough to outlive any outage we want to report as "stale", not "never seen".
HEARTBEAT_TTL = 7 * 24 * 3600
SWEEP_TASK = "notifications.tasks.sweep_due_reminders"

clock: Callable[[], datetime] = timezone.now
#: When this (web) process loaded the checks: the start of its own grace.
process_started: datetime = timezone.now()


def _web_starting(now: datetime) -> bool:
    return now - process_started <= timedelta(seconds=settings.HEALTHZ_START_GRACE)


def sweep_interval() -> float:
    """Seconds between two sweeps, read from the beat schedule (60 today)."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"] == SWEEP_TASK and isinstance(entry["schedule"], int | float):
            return float(entry["schedule"])
    return 60.0


@dataclass
class Report:
    parts: dict[str, str] = field(default_factory=dict)
    # Only for staff: exception classes, times, worker names, queue length.
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return all(state in HEALTHY for state in self.parts.values())

    def public(self) -> dict[str, Any]:
        return {"status": "ok" if self.healthy else "unavailable", **self.parts}


def check_database(report: Report) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "down"
        report.parts["database"] = "down"
        report.details["database_error"] = exc.__class__.__name__
    else:
        report.parts["database"] = "ok"


def check_broker(report: Report) -> None:
    from tracker.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            folders = filesystem_options(conn)
            if folders is not None:
                check_filesystem_folders(folders)
            report.details["queue_length"] = queue_length(conn)
    except Exception as exc:  # any failure means "down"
        report.parts["broker"] = "down"
        report.details["broker_error"] = exc.__class__.__name__
    else:
        report.parts["broker"] = "ok"
    report.details["broker_transport"] = settings.CELERY_BROKER_URL.split(":", 1)[0]


#: The folders of kombu's filesystem transport (``processed_folder`` only when it stores).
_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "control_folder")


def filesystem_options(conn: Any) -> dict[str, Any] | None:
    """The transport options when the broker is kombu's filesystem transport, else None."""
    if getattr(conn.transport, "driver_type", "") != "filesystem":
        return None
    return dict(conn.transport_options or {})


def check_filesystem_folders(options: dict[str, Any]) -> None:
    """Raise if a folder of the filesystem broker is missing or cannot be written."""
    names = [*_FOLDER_OPTIONS, *(["processed_folder"] if options.get("store_processed") else [])]
    for name in names:
        folder = options.get(name)
        if not folder:
            continue
        path = Path(folder)
        if not path.is_dir():
            raise NotADirectoryError(name)
        # A real write: permissions, a full disk or a read-only mount all show here. The
        # name does not end in ".msg", so a worker listing the folder never takes it.
        with tempfile.NamedTemporaryFile(dir=path, prefix=".healthz-", suffix=".probe"):
            pass


def queue_length(conn: Any) -> int:
    """Messages waiting in the default queue (0 when no worker has declared it yet)."""
    from tracker.celery import app

    try:
        declared = conn.default_channel.queue_declare(
            queue=app.conf.task_default_queue, passive=True
        )
    except Exception:  # kombu raises the transport's "not found" for an undeclared queue
        return 0
    return int(declared.message_count)


def _read_time(key: str) -> datetime | None:
    value = cache.get(key)
    if isinstance(value, dict):
        value = value.get("at")
    return parse_datetime(value) if isinstance(value, str) else None


def check_beat(report: Report, *, now: datetime) -> None:
    try:
        last = _read_time(BEAT_HEARTBEAT_KEY)
        sweep = cache.get(LAST_SWEEP_KEY)
    except Exception as exc:  # the cache is down: the beat cannot be vouched for
        report.parts["beat"] = "unknown"
        report.details["beat_error"] = exc.__class__.__name__
        return
    limit = timedelta(seconds=sweep_interval() * settings.HEALTHZ_BEAT_MISSED_SWEEPS)
    started = _safe_time(BEAT_STARTED_KEY)
    if last is not None and now - last <= limit:
        state = "ok"
    elif started is not None and (last is None or last < started) and now - started <= limit:
        # Started (again) and not yet sent its first sweep: the grace of one limit.
        state = "starting"
    elif last is None and started is None and _web_starting(now):
        state = "starting"
    else:
        state = "stale"
    report.parts["beat"] = state
    report.details["beat_last_run"] = last.isoformat() if last else None
    report.details["beat_started"] = started.isoformat() if started else None
    report.details["last_sweep"] = sweep


def _safe_time(key: str) -> datetime | None:
    try:
        return _read_time(key)
    except Exception:  # the cache is down: no grace to give
        return None


def check_workers(report: Report, *, now: datetime | None = None) -> None:
    from tracker.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTHZ_PING_TIMEOUT) or []
    except Exception as exc:  # the broker is down: so is the ping
        report.parts["workers"] = "none"
        report.details["workers_error"] = exc.__class__.__name__
        return
    names = sorted(name for reply in replies for name in reply)
    state = "ok" if names else "none"
    if not names and now is not None:
        started = _safe_time(WORKER_STARTED_KEY)
        grace = timedelta(seconds=settings.HEALTHZ_WORKER_START_GRACE)
        just_started = started is not None and timedelta(0) <= now - started <= grace
        if just_started or (started is None and _web_starting(now)):
            state = "starting"
    report.parts["workers"] = state
    report.details["workers"] = names


def run(*, processes: bool = True) -> Report:
    """All checks; ``processes=False`` only the ones the web process itself needs."""
    report = Report()
    check_database(report)
    check_broker(report)
    if processes:
        now = clock()
        check_beat(report, now=now)
        check_workers(report, now=now)
    return report
