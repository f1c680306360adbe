"""Delivering: enqueue messages (by task name), claim, send and commit them one by one.

A message is one delivery, or one digest batch of one recipient and channel. It is sent at
most once because it is claimed under its rows' locks, only pending rows are claimed, and
each message is committed in its own transaction before the next is sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from celery import current_app
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .. import channels
from ..choices import Channel, DeliveryStatus
from ..models import Delivery, Reminder

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


#: Messages (one delivery, or one digest batch) one send task carries. One task per message
#: cost a broker round trip per message (fetch, acknowledge) plus the worker's per-task
#: database health check; fifty amortise that while a chunk of slow SMTP sends still ends
#: well inside the broker's visibility timeout (see CHUNK_TIME_BUDGET).
CHUNK_SIZE = 50
#: Seconds a chunk may spend sending; messages not begun by then go to a fresh task, so a
#: chunk never outlives the broker's visibility timeout (300 s) and is handed out twice.
CHUNK_TIME_BUDGET = 60.0


@dataclass
class ChunkResult:
    """What :func:`deliveries_send_chunk` did, message by message."""

    sent: int = 0  # deliveries marked sent
    failed: int = 0  # deliveries marked failed (permanent error, or the last attempt)
    skipped: int = 0  # deliveries no longer pending, or being sent by another worker
    #: Messages that failed with a transient error and are still pending: retry only these.
    retry: list[list[int]] = field(default_factory=list)
    #: Messages not attempted because the time budget ran out: enqueue them again.
    deferred: list[list[int]] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)


#: The send task, enqueued by its registered name: ``notifications.tasks`` imports these
#: services, so naming the task (instead of importing it) keeps one direction, tasks →
#: services. A signature by name still goes through the registered task's ``apply_async``
#: (registered in every process by ``NotificationsConfig.ready``), so
#: ``CELERY_TASK_ALWAYS_EAGER`` applies as it did to ``delay_on_commit``.
SEND_CHUNK_TASK = "notifications.tasks.send_delivery_chunk"


def enqueue_messages(messages: Sequence[list[int]]) -> None:
    """Enqueue ``messages`` after commit (a rollback enqueues nothing), ``CHUNK_SIZE`` a task."""
    for chunk in _chunks(messages):
        task = current_app.signature(SEND_CHUNK_TASK, args=(chunk,))
        transaction.on_commit(task.delay)


def _chunks(messages: Sequence[list[int]], size: int = CHUNK_SIZE) -> list[list[list[int]]]:
    return [list(messages[i : i + size]) for i in range(0, len(messages), size)]


def _claim(ids: Sequence[int], now: datetime) -> int:
    """Lock the pending rows among ``ids`` (skipping rows another worker holds) and mark them
    sent, in one statement; call inside the transaction that sends. Returns the row count.

    A rollback (the send failed, or the worker died before the commit) leaves them pending.
    Written as SQL because it runs once per message: the equivalent ORM update with a
    ``select_for_update`` subquery took about 0.9 ms of CPU to build, as much as rendering
    the e-mail.
    """
    if not ids:
        return 0
    qn = connection.ops.quote_name
    table = qn(Delivery._meta.db_table)
    lock = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    at = connection.ops.adapt_datetimefield_value(now)
    status, sent_at, updated_at, attempts, last_error, pk = map(
        qn, ("status", "sent_at", "updated_at", "attempts", "last_error", "id")
    )
    placeholders = ", ".join(["%s"] * len(ids))
    # Identifiers are the model's own, quoted; every value is a parameter.
    sql = (
        f"UPDATE {table} SET {status} = %s, {sent_at} = %s, {updated_at} = %s,"  # noqa: S608
        f" {attempts} = {attempts} + 1, {last_error} = ''"
        f" WHERE {pk} IN (SELECT {pk} FROM {table}"
        f" WHERE {pk} IN ({placeholders}) AND {status} = %s{lock})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [DeliveryStatus.SENT.value, at, at, *ids, DeliveryStatus.PENDING.value])
        return max(cursor.rowcount, 0)


def _claim_batch(rows: list[Delivery], now: datetime) -> list[Delivery]:
    """A digest batch: lock its pending rows, mark those sent, return them (the message)."""
    locked = set(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(pk__in=[d.pk for d in rows], status=DeliveryStatus.PENDING)
        .order_by()
        .values_list("pk", flat=True)
    )
    claimed = [d for d in rows if d.pk in locked]
    if claimed:
        _claim([d.pk for d in claimed], now)
    return claimed


class _SendFailedError(Exception):
    """Raised out of a message's transaction to roll its claim back."""

    def __init__(self, error: Exception, *, permanent: bool) -> None:
        super().__init__(str(error))
        self.error, self.permanent = error, permanent


def _record_error(ids: list[int], error: Exception, *, failed: bool, now: datetime) -> None:
    """Count the attempt and keep the error; ``failed`` shows the deliveries in the admin."""
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=now,
        )


def deliveries_send_chunk(
    *,
    messages: Sequence[Sequence[int]],
    final_attempt: bool = False,
    now: datetime | None = None,
    time_budget: float | None = None,
) -> ChunkResult:
    """Send ``messages`` (each a list of delivery ids: one delivery, or one digest batch of
    one recipient and channel), each message in its own transaction.

    Everything the chunk needs (deliveries, reminders, recipients, preferences) is read in
    one query, without locks. Then each message is claimed under its row locks (``SKIP
    LOCKED`` plus the pending-state guard), sent, and committed before the next: a message
    that fails rolls back alone, a worker killed mid-chunk resends at most the one message
    in flight, and a chunk run twice skips what is already sent. In-app messages have
    nothing to send (marking them sent delivers them): all of a chunk's are claimed in one
    statement. E-mails share one connection of the e-mail backend.

    A transient error is counted on its deliveries, which stay pending, and its message is
    returned in ``retry`` (unless ``final_attempt``: then, as for a permanent error, the
    deliveries are marked failed for the admin). Messages not begun within ``time_budget``
    seconds (``CHUNK_TIME_BUDGET``) are returned untouched in ``deferred``.
    """
    result = ChunkResult()
    wanted = [pk for message in messages for pk in message]
    rows = {
        d.pk: d
        for d in Delivery.objects.select_related(
            "reminder", "recipient", "recipient__notification_preference"
        ).filter(pk__in=wanted, status=DeliveryStatus.PENDING)
    }
    result.skipped = len(wanted) - len(rows)

    in_app = [pk for pk in wanted if pk in rows and rows[pk].channel == Channel.IN_APP]
    if in_app:
        with transaction.atomic():
            claimed = _claim(in_app, now or timezone.now())
        result.sent += claimed
        result.skipped += len(in_app) - claimed

    deadline = time.monotonic() + (CHUNK_TIME_BUDGET if time_budget is None else time_budget)
    mail = channels.MailSession()
    try:
        for message in messages:
            pending = [rows[pk] for pk in message if pk in rows]
            if not pending or pending[0].channel == Channel.IN_APP:
                continue
            if time.monotonic() > deadline:
                result.deferred.append([d.pk for d in pending])
                continue
            _send_message(pending, mail=mail, final_attempt=final_attempt, now=now, into=result)
    finally:
        mail.close()
    return result


def _send_message(
    pending: list[Delivery],
    *,
    mail: channels.MailSession,
    final_attempt: bool,
    now: datetime | None,
    into: ChunkResult,
) -> None:
    """Claim, send and commit one message; record its failure in a transaction of its own."""
    at = now or timezone.now()
    try:
        with transaction.atomic():
            if len(pending) == 1:
                claimed = pending if _claim([pending[0].pk], at) else []
            else:
                claimed = _claim_batch(pending, at)
            if claimed:
                first = claimed[0]
                try:
                    _send(
                        first.channel,
                        first.recipient,
                        [d.reminder for d in claimed],
                        reference=first.pk,
                        mail=mail,
                    )
                except channels.TransientDeliveryError as exc:
                    raise _SendFailedError(exc, permanent=False) from exc
                except Exception as exc:
                    # Anything but a known transient failure will not heal by itself: fail
                    # it now, visibly, instead of retrying a bug.
                    logger.exception("delivery %s failed permanently", [d.pk for d in claimed])
                    raise _SendFailedError(exc, permanent=True) from exc
    except _SendFailedError as send_failed:
        # The claim rolled back with the failed send: the deliveries are pending again.
        error, failed = send_failed.error, send_failed.permanent or final_attempt
    else:
        into.sent += len(claimed)
        into.skipped += len(pending) - len(claimed)
        return
    ids = [d.pk for d in claimed]
    _record_error(ids, error, failed=failed, now=now or timezone.now())
    into.errors.append(error)
    if failed:
        into.failed += len(ids)
    else:
        into.retry.append(ids)


def deliveries_send(
    *, delivery_ids: Sequence[int], final_attempt: bool = False, now: datetime | None = None
) -> int:
    """Send the pending deliveries ``delivery_ids`` (one recipient and channel) as one message.

    Returns how many were sent. The rows stay locked while the message goes out: a second
    copy of the task skips them, and a worker killed mid-send rolls back, so the redelivered
    task sends again (once). A transient error is recorded and re-raised for the task's
    retry, unless ``final_attempt``: then, as for a permanent error, the deliveries are
    marked failed for the admin.
    """
    result = deliveries_send_chunk(
        messages=[list(delivery_ids)], final_attempt=final_attempt, now=now
    )
    if result.retry:
        raise result.errors[-1]
    return result.sent


def _send(
    channel: str,
    user: User,
    reminders: list[Reminder],
    *,
    reference: int,
    mail: channels.MailSession | None = None,
) -> None:
    items = [channels.item_for(r) for r in reminders]
    if channel == Channel.IN_APP:
        return  # the inbox reads sent in-app deliveries: marking it sent delivers it
    if channel == Channel.EMAIL:
        channels.send_email(user=user, items=items, reference=f"delivery-{reference}", mail=mail)
        return
    if channel == Channel.SMS:
        pref = getattr(user, "notification_preference", None)
        phone = pref.phone if pref is not None else ""
        if not phone:
            raise channels.PermanentDeliveryError("شماره همراه گیرنده ثبت نشده است.")
        channels.get_sms_provider().send(
            phone=phone, text=channels.sms_text(items), reference=f"delivery-{reference}"
        )
        return
    raise channels.PermanentDeliveryError(f"unknown channel {channel}")
