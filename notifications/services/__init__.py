"""Writes of reminders and deliveries: plan, sweep, deliver, the admin's actions, the inbox.

A package along the seams of the former ``services.py``: ``planning`` (reminders_refresh),
``sweep`` (due reminders → deliveries), ``delivery`` (enqueue by task name, claim, send),
``admin`` (retry, send now) and ``inbox`` (read marks, preferences). Callers import from
here. Nothing in it imports ``notifications.tasks``: the send task is enqueued by name.
"""

from .admin import deliveries_retry, deliveries_send_now, reminders_send_now
from .delivery import (
    CHUNK_SIZE,
    CHUNK_TIME_BUDGET,
    ChunkResult,
    deliveries_send,
    deliveries_send_chunk,
)
from .inbox import PREFERENCE_FIELDS, inbox_mark_read, preference_update
from .planning import RefreshResult, reminders_forget, reminders_refresh
from .sweep import SweepResult, reminders_dispatch_now, reminders_sweep

__all__ = [
    "CHUNK_SIZE",
    "CHUNK_TIME_BUDGET",
    "PREFERENCE_FIELDS",
    "ChunkResult",
    "RefreshResult",
    "SweepResult",
    "deliveries_retry",
    "deliveries_send",
    "deliveries_send_chunk",
    "deliveries_send_now",
    "inbox_mark_read",
    "preference_update",
    "reminders_dispatch_now",
    "reminders_forget",
    "reminders_refresh",
    "reminders_send_now",
    "reminders_sweep",
]
