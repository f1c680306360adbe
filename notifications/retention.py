"""Retention: old sent deliveries and dead reminders are deleted in small batches.

What goes, once older than ``NOTIFICATIONS_RETENTION_DAYS`` (18 months by default):
- deliveries that were sent (``sent_at`` before the cut-off);
- reminders in a final state (expired, cancelled, stale, or dispatched) whose due time and
  last change are both before the cut-off and that have no delivery left (a pending or
  failed delivery keeps its reminder: the admin still has to see it).
Pending reminders, pending or failed deliveries and anything newer stay. The audit and
history rows (agreement status changes, simple-history tables, meeting events) are not
notifications' and are never touched: they are the record.

Each batch is its own short transaction (ids first, then ``DELETE … WHERE id IN``): one
statement over millions of rows would hold its locks and bloat the WAL for minutes while
the sweep needs the same tables. That is why this is not one ``@transaction.atomic``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import DeliveryStatus, ReminderState
from .models import Delivery, Reminder

FINAL_REMINDER_STATES = (
    ReminderState.EXPIRED,
    ReminderState.CANCELLED,
    ReminderState.STALE,
    ReminderState.DISPATCHED,
)


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    deliveries: int
    reminders: int
    batches: int


def _purgeable_deliveries(cutoff: datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__lt=cutoff)


def _purgeable_reminders(cutoff: datetime) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        Q(state__in=FINAL_REMINDER_STATES),
        due_at__lt=cutoff,
        updated_at__lt=cutoff,
        deliveries__isnull=True,
    )


def _delete_in_batches(
    queryset: QuerySet[Delivery] | QuerySet[Reminder], size: int
) -> tuple[int, int]:
    deleted = batches = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:size])
            if not ids:
                return deleted, batches
            # Re-filtered by the same conditions: a row that changed since it was read
            # (a delivery retried, a reminder re-planned) is not deleted.
            count, _ = queryset.filter(pk__in=ids).delete()
        deleted += count
        batches += 1


def notifications_purge_old(
    *, now: datetime | None = None, days: int | None = None, batch_size: int | None = None
) -> RetentionResult:
    """Delete what retention allows (see the module docstring) and say how much."""
    days = days if days is not None else settings.NOTIFICATIONS_RETENTION_DAYS
    size = batch_size or settings.NOTIFICATIONS_RETENTION_BATCH
    if days < 30:
        # A typo (18 instead of 548) must not wipe this month's inbox.
        raise ValueError("retention shorter than 30 days is refused")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deliveries, delivery_batches = _delete_in_batches(_purgeable_deliveries(cutoff), size)
    # After the deliveries: a reminder whose only deliveries were just purged goes too.
    reminders, reminder_batches = _delete_in_batches(_purgeable_reminders(cutoff), size)
    return RetentionResult(
        cutoff=cutoff,
        deliveries=deliveries,
        reminders=reminders,
        batches=delivery_batches + reminder_batches,
    )
