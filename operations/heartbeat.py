"""Celery signal handlers that leave the traces ``/healthz`` and the admin read.

In the beat process, ``before_task_publish`` of the sweep is the beat's heartbeat: it is
written by beat itself, so a dead worker does not make a live beat look dead. In the
worker, ``task_postrun`` of the sweep records when it finished and what it did. Each beat
and worker also records when it started (``beat_init``, ``worker_init``): the grace
``/healthz`` gives a process that has not had time to send its first sweep or answer a ping.
A cache failure is logged, never raised: it must not stop a task from being sent or run.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import beat_init, before_task_publish, task_postrun, worker_init
from django.core.cache import cache
from django.utils import timezone

from tracker.healthchecks import (
    BEAT_HEARTBEAT_KEY,
    BEAT_STARTED_KEY,
    HEARTBEAT_TTL,
    LAST_SWEEP_KEY,
    SWEEP_TASK,
    WORKER_STARTED_KEY,
)

logger = logging.getLogger(__name__)


def beat_heartbeat(sender: str | None = None, **_: Any) -> None:
    if sender != SWEEP_TASK:
        return
    try:
        cache.set(BEAT_HEARTBEAT_KEY, timezone.now().isoformat(), HEARTBEAT_TTL)
    except Exception:
        logger.warning("beat heartbeat not written: the cache does not answer", exc_info=True)


def sweep_finished(
    sender: Any = None, retval: Any = None, state: str | None = None, **_: Any
) -> None:
    if getattr(sender, "name", None) != SWEEP_TASK:
        return
    value = {
        "at": timezone.now().isoformat(),
        "state": state,
        "result": retval if isinstance(retval, dict) else None,
    }
    try:
        cache.set(LAST_SWEEP_KEY, value, HEARTBEAT_TTL)
    except Exception:
        logger.warning("last sweep not recorded: the cache does not answer", exc_info=True)


def _started(key: str) -> None:
    try:
        cache.set(key, timezone.now().isoformat(), HEARTBEAT_TTL)
    except Exception:
        logger.warning("start of %s not recorded: the cache does not answer", key, exc_info=True)


def beat_started(**_: Any) -> None:
    _started(BEAT_STARTED_KEY)


def worker_started(**_: Any) -> None:
    _started(WORKER_STARTED_KEY)


def connect_signals() -> None:
    beat_init.connect(beat_started, dispatch_uid="operations.beat_started")
    worker_init.connect(worker_started, dispatch_uid="operations.worker_started")
    before_task_publish.connect(beat_heartbeat, dispatch_uid="operations.beat_heartbeat")
    task_postrun.connect(sweep_finished, dispatch_uid="operations.sweep_finished")
