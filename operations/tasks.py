"""Periodic operations tasks (beat schedule in settings): thin ways into one service each.

The retention task lives here rather than in notifications/tasks.py because it is
housekeeping of the running site, scheduled with the other operations work; the rule of
what may go is notifications' own (``notifications.retention``).
"""

from __future__ import annotations

import logging

from celery import shared_task

from notifications.retention import notifications_purge_old

logger = logging.getLogger(__name__)


@shared_task(name="operations.tasks.purge_old_notifications", acks_late=True, ignore_result=True)
def purge_old_notifications() -> dict[str, int]:
    """Daily: old sent deliveries and dead reminders (safe twice: a second run finds none)."""
    result = notifications_purge_old()
    counts = {
        "deliveries": result.deliveries,
        "reminders": result.reminders,
        "batches": result.batches,
    }
    logger.info("retention purge before %s: %s", result.cutoff.isoformat(), counts)
    return counts
