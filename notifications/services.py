"""Writes of reminders and deliveries: plan, refresh, sweep, send, and the admin's actions.

Reminders live in the database; nothing waits in the broker with a long countdown. The
beat sweep turns due reminders into deliveries and, after commit, enqueues their messages
(one delivery, or one digest batch) up to ``CHUNK_SIZE`` a task. A message is sent at most
once because it is claimed under its rows' locks, only pending rows are claimed, and each
message is committed in its own transaction before the next is sent.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from tracker.exceptions import PermissionDeniedError
from tracker.jalali import TEHRAN

from . import channels
from .choices import (
    LIVE_REMINDER_STATES,
    Channel,
    DeliveryMode,
    DeliveryStatus,
    ReminderState,
    RuleCode,
)
from .models import Delivery, NotificationPreference, Reminder
from .rules import ALWAYS_BATCHED_RULES, Planned, planner_for, planners, rule_configs, tehran_at

logger = logging.getLogger(__name__)

#: A reminder planned this late (the target was saved just after its time) is still sent;
#: anything older was missed before the target existed and is not planned at all.
GRACE = timedelta(minutes=15)
#: A pending delivery whose message has not been handled after this long is enqueued again
#: (its message was lost: the broker was down at commit time). Longer than the broker's
#: visibility timeout (300 s), so a message merely waiting for redelivery is not doubled.
REENQUEUE_AFTER = timedelta(minutes=6)
#: Reminders one sweep takes; the rest wait a minute for the next sweep.
SWEEP_LIMIT = 1000
#: Rules that repeat (one row per day): the sweep re-plans their target after dispatch.
RECURRING_RULES = frozenset({RuleCode.ACTION_ITEM_OVERDUE})

ReminderKey = tuple[str, str, int, datetime]


def _key(reminder: Reminder) -> ReminderKey:
    return (reminder.rule, reminder.kind, reminder.recipient_id, reminder.anchor_at)


def _require_admin(actor: Any) -> None:
    if not (actor is not None and actor.is_active and (actor.is_staff or actor.is_superuser)):
        raise PermissionDeniedError("این کار فقط از پنل مدیریت ممکن است.")


# --- planning -------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    created: int = 0
    cancelled: int = 0
    kept: int = 0


@transaction.atomic
def reminders_refresh(*, target: Model, now: datetime | None = None) -> RefreshResult:
    """Re-plan the pending reminders of ``target`` (a meeting, an action item, an agreement).

    Called by the meetings and agreements services inside their transaction whenever a
    time, an owner, a participant or a status that reminders depend on changes. Pending
    reminders the rules no longer want are cancelled, new ones are created, unchanged ones
    are kept; deliveries not yet sent for a reminder that is no longer wanted are cancelled,
    so nothing goes out for the old time. Only database rows are written: the broker is
    not contacted, so a save succeeds while Redis is down.
    """
    now = now or timezone.now()
    planner = planner_for(target)
    desired: list[Planned] = (
        planner.plan(target, rules=rule_configs(), now=now) if planner is not None else []
    )
    content_type = ContentType.objects.get_for_model(target)
    # Locking the target's live rows makes a concurrent sweep (SKIP LOCKED) leave them alone
    # until this transaction decides their fate.
    existing = list(
        Reminder.objects.select_for_update()
        .filter(content_type=content_type, object_id=target.pk, state__in=LIVE_REMINDER_STATES)
        .order_by("id")
    )
    desired_keys = {p.key for p in desired}
    by_key = {_key(r): r for r in existing}
    result = RefreshResult()

    unwanted_pending = [
        r.pk for r in existing if r.state == ReminderState.PENDING and _key(r) not in desired_keys
    ]
    unwanted_dispatched = [
        r.pk
        for r in existing
        if r.state == ReminderState.DISPATCHED and _key(r) not in desired_keys
    ]
    if unwanted_pending:
        result.cancelled = Reminder.objects.filter(pk__in=unwanted_pending).update(
            state=ReminderState.CANCELLED, updated_at=now
        )
    if unwanted_dispatched:
        Delivery.objects.filter(
            reminder_id__in=unwanted_dispatched, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.CANCELLED, updated_at=now)

    new = [
        Reminder(
            content_type=content_type,
            object_id=target.pk,
            rule=p.rule,
            kind=p.kind,
            recipient_id=p.recipient_id,
            due_at=p.due_at,
            anchor_at=p.anchor_at,
            expires_at=p.expires_at,
            digestible=p.digestible,
            title=p.title[:255],
            body=p.body,
            url=p.url[:500],
        )
        for p in desired
        if p.key not in by_key
        and p.due_at >= now - GRACE
        and (p.expires_at is None or p.expires_at > now)
    ]
    for reminder in new:
        reminder.full_clean(validate_constraints=False)
    Reminder.objects.bulk_create(new)
    result.created = len(new)
    result.kept = len(desired_keys & set(by_key))
    return result


# --- the sweep ----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    dispatched: int = 0
    held: int = 0
    stale: int = 0
    expired: int = 0
    deliveries: int = 0
    reenqueued: int = 0
    batches: list[list[int]] = field(default_factory=list)


def _load_targets(reminders: Iterable[Reminder]) -> dict[tuple[int, int], Model | None]:
    """Targets by (content type id, object id): one query per target type."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for r in reminders:
        wanted[r.content_type_id].add(r.object_id)
    found: dict[tuple[int, int], Model | None] = {}
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        objects = model._default_manager.in_bulk(list(ids)) if model is not None else {}
        for object_id in ids:
            found[(ct_id, object_id)] = objects.get(object_id)
    return found


def _quiet_until(pref: NotificationPreference, now: datetime) -> datetime | None:
    """End of the user's quiet hours if ``now`` falls inside them (Asia/Tehran)."""
    start, end = pref.quiet_start, pref.quiet_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(TEHRAN)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=TEHRAN)


def _digest_slot(pref: NotificationPreference, due_at: datetime) -> datetime:
    """The first digest time of the user at or after ``due_at``."""
    local = due_at.astimezone(TEHRAN)
    slot = tehran_at(local.date(), pref.digest_hour)
    return slot if slot >= due_at else slot + timedelta(days=1)


def _hold_until(
    pref: NotificationPreference | None, reminder: Reminder, now: datetime
) -> datetime | None:
    """When a due reminder must wait for the user (quiet hours, digest mode), until when."""
    if pref is None:
        return None
    quiet = _quiet_until(pref, now)
    if quiet is not None:
        return quiet
    if pref.mode == DeliveryMode.DIGEST and reminder.digestible:
        slot = _digest_slot(pref, reminder.due_at)
        if slot > now:
            return slot
    return None


def _channels_for(user: Any, pref: NotificationPreference | None) -> list[str]:
    """The channels a user receives on: preferences, or in-app and e-mail by default."""
    wants_in_app = pref.in_app if pref is not None else True
    wants_email = pref.email if pref is not None else True
    wants_sms = pref.sms if pref is not None else False
    result: list[str] = []
    if wants_in_app:
        result.append(Channel.IN_APP)
    if wants_email and user.email:
        result.append(Channel.EMAIL)
    if wants_sms and pref is not None and pref.phone:
        result.append(Channel.SMS)
    return result


def _enqueue(messages: Sequence[list[int]]) -> None:
    """Enqueue ``messages`` after commit (a rollback enqueues nothing), ``CHUNK_SIZE`` a task."""
    from .tasks import send_delivery_chunk

    for chunk in _chunks(messages):
        # celery-types does not know Celery 5.4's delay_on_commit yet.
        send_delivery_chunk.delay_on_commit(chunk)  # type: ignore[attr-defined]


def _dispatch(
    due: list[Reminder], *, now: datetime, result: SweepResult, ignore_holds: bool = False
) -> None:
    """Check, hold or dispatch ``due`` (locked rows), creating and enqueuing deliveries."""
    if not due:
        return
    targets = _load_targets(due)
    rules = rule_configs()
    known = planners()
    current_keys: dict[tuple[int, int], set[ReminderKey]] = {}
    for (ct_id, object_id), target in targets.items():
        planner = known.get(target._meta.label_lower) if target is not None else None
        plan = planner.plan(target, rules=rules, now=now) if planner is not None else []
        current_keys[(ct_id, object_id)] = {p.key for p in plan}

    user_ids = {r.recipient_id for r in due}
    users = get_user_model()._default_manager.in_bulk(list(user_ids))
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}

    to_dispatch: list[Reminder] = []
    changed: list[Reminder] = []
    for r in due:
        target_key = (r.content_type_id, r.object_id)
        user = users.get(r.recipient_id)
        if _key(r) not in current_keys.get(target_key, set()) or user is None:
            # The anchor moved (rescheduled, done, cancelled) or the target is gone: the
            # sweep never sends for the old time, even if a refresh call was missed.
            r.state = ReminderState.STALE
            result.stale += 1
        elif r.expires_at is not None and r.expires_at <= now:
            r.state = ReminderState.EXPIRED
            result.expired += 1
        else:
            hold = None if ignore_holds else _hold_until(prefs.get(r.recipient_id), r, now)
            if hold is not None:
                r.due_at = hold
                result.held += 1
            else:
                r.state = ReminderState.DISPATCHED
                r.dispatched_at = now
                to_dispatch.append(r)
        r.updated_at = now
        changed.append(r)
    Reminder.objects.bulk_update(changed, ["state", "due_at", "dispatched_at", "updated_at"])

    deliveries: list[Delivery] = []
    groups: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    singles: list[Delivery] = []
    for r in to_dispatch:
        user = users[r.recipient_id]
        pref = prefs.get(r.recipient_id)
        batched = r.rule in ALWAYS_BATCHED_RULES or (
            pref is not None and pref.mode == DeliveryMode.DIGEST and r.digestible
        )
        for channel in _channels_for(user, pref):
            d = Delivery(reminder=r, recipient_id=r.recipient_id, channel=channel, enqueued_at=now)
            deliveries.append(d)
            # Each in-app delivery is its own inbox entry; e-mail and SMS of a digest are
            # one message per recipient and channel.
            if batched and channel != Channel.IN_APP:
                groups[(r.recipient_id, channel)].append(d)
            else:
                singles.append(d)
    for members in groups.values():
        batch = str(uuid.uuid4())
        for d in members:
            d.batch = batch
    Delivery.objects.bulk_create(deliveries)
    batches = [[d.pk for d in members] for members in groups.values()]
    batches += [[d.pk] for d in singles]
    result.dispatched += len(to_dispatch)
    result.deliveries += len(deliveries)
    result.batches += batches
    _enqueue(batches)

    # Daily reminders are planned a day ahead: plan the next one now that this one is out.
    recurring = {(r.content_type_id, r.object_id) for r in to_dispatch if r.rule in RECURRING_RULES}
    for target_key in recurring:
        target = targets.get(target_key)
        if target is not None:
            reminders_refresh(target=target, now=now)


def _reenqueue_lost(*, now: datetime, limit: int, result: SweepResult) -> None:
    """Enqueue again pending deliveries whose message never ran (broker down at commit)."""
    lost = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(status=DeliveryStatus.PENDING, enqueued_at__lt=now - REENQUEUE_AFTER)
        .order_by("enqueued_at")
        .values_list("pk", "batch")[:limit]
    )
    if not lost:
        return
    by_batch: dict[str, list[int]] = defaultdict(list)
    singles: list[list[int]] = []
    for pk, batch in lost:
        if batch:
            by_batch[batch].append(pk)
        else:
            singles.append([pk])
    Delivery.objects.filter(pk__in=[pk for pk, _ in lost]).update(enqueued_at=now, updated_at=now)
    batches = [*by_batch.values(), *singles]
    result.reenqueued += len(lost)
    result.batches += batches
    _enqueue(batches)


@transaction.atomic
def reminders_sweep(*, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> SweepResult:
    """Turn the reminders due at ``now`` into deliveries and enqueue their tasks.

    Reads the due pending rows through the partial index ``reminder_due_pending`` and locks
    them with ``SKIP LOCKED`` on PostgreSQL, so two sweeps at once split the work instead
    of sending twice (the unique delivery constraint is the last guard). On SQLite the
    IMMEDIATE transaction serialises sweeps instead.
    """
    now = now or timezone.now()
    result = SweepResult()
    due = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(state=ReminderState.PENDING, due_at__lte=now)
        .order_by("due_at")[:limit]
    )
    _dispatch(due, now=now, result=result)
    _reenqueue_lost(now=now, limit=limit, result=result)
    return result


# --- delivering --------------------------------------------------------------------------------

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
    user: Any,
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


# --- admin actions -----------------------------------------------------------------------------


@transaction.atomic
def deliveries_retry(*, actor: Any, delivery_ids: Sequence[int]) -> int:
    """«ارسال دوباره»: failed deliveries become pending and are enqueued again."""
    _require_admin(actor)
    now = timezone.now()
    ids = list(
        Delivery.objects.select_for_update()
        .filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, enqueued_at=now, updated_at=now
    )
    _enqueue([[pk] for pk in ids])
    logger.info("deliveries %s retried by %s", ids, actor)
    return len(ids)


@transaction.atomic
def deliveries_send_now(*, actor: Any, delivery_ids: Sequence[int]) -> int:
    """«ارسال اکنون» on deliveries: pending or failed ones are enqueued right away."""
    _require_admin(actor)
    now = timezone.now()
    ids = list(
        Delivery.objects.select_for_update()
        .filter(
            pk__in=list(delivery_ids),
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
        )
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, enqueued_at=now, updated_at=now
    )
    _enqueue([[pk] for pk in ids])
    logger.info("deliveries %s sent now by %s", ids, actor)
    return len(ids)


@transaction.atomic
def reminders_send_now(
    *, actor: Any, reminder_ids: Sequence[int], now: datetime | None = None
) -> SweepResult:
    """«ارسال اکنون» on reminders: dispatch pending ones now, past quiet hours and digests.

    A reminder whose target moved is still refused (marked stale), as in the sweep.
    """
    _require_admin(actor)
    now = now or timezone.now()
    result = SweepResult()
    due = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(pk__in=list(reminder_ids), state=ReminderState.PENDING)
        .order_by("due_at")
    )
    _dispatch(due, now=now, result=result, ignore_holds=True)
    logger.info("reminders %s sent now by %s", [r.pk for r in due], actor)
    return result


# --- inbox and preferences ----------------------------------------------------------------------


@transaction.atomic
def inbox_mark_read(
    *, actor: Any, delivery_ids: Sequence[int] | None = None, now: datetime | None = None
) -> int:
    """Mark the actor's own in-app messages read (all unread ones when no ids are given)."""
    qs = Delivery.objects.filter(
        recipient=actor, channel=Channel.IN_APP, status=DeliveryStatus.SENT, read_at=None
    )
    if delivery_ids is not None:
        qs = qs.filter(pk__in=list(delivery_ids))
    return qs.update(read_at=now or timezone.now())


PREFERENCE_FIELDS = (
    "in_app",
    "email",
    "sms",
    "phone",
    "quiet_start",
    "quiet_end",
    "mode",
    "digest_hour",
)


@transaction.atomic
def preference_update(*, actor: Any, **fields: Any) -> NotificationPreference:
    """Save the actor's own notification preferences."""
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "این فیلد شناخته نیست."))
    pref, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    for name, value in fields.items():
        setattr(pref, name, value)
    pref.phone = (pref.phone or "").strip()
    errors: dict[str, str] = {}
    if pref.sms and not pref.phone:
        errors["phone"] = "برای دریافت پیامک شماره همراه را وارد کنید."
    if (pref.quiet_start is None) != (pref.quiet_end is None):
        errors["quiet_end"] = "آغاز و پایان ساعات سکوت را با هم وارد کنید."
    if errors:
        raise ValidationError(errors)
    pref.full_clean()
    pref.save()
    return pref


# --- time-driven workflow ---------------------------------------------------------------------


def time_driven_workflow_advance(*, now: datetime | None = None) -> int:
    """Move what time alone moves: agreements in force past their expiry become expired.

    ``agreements.services.agreements_expire_due`` owns the transition (actor «system», one
    history row, idempotent); this only calls it. Overdue action items need no write: they
    are derived from the due date (end of day, Asia/Tehran).
    """
    try:
        from agreements.services import agreements_expire_due  # type: ignore[attr-defined]
    except ImportError:
        logger.info("agreements.services.agreements_expire_due does not exist yet")
        return 0
    count: int = agreements_expire_due(now=now)
    return count
