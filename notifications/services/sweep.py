"""The sweep (beat, every minute): turn due reminders into deliveries and enqueue them.

Reminders live in the database; nothing waits in the broker with a long countdown. The
sweep turns due reminders into deliveries and, after commit, enqueues their messages up
to ``CHUNK_SIZE`` a task (see ``delivery``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tracker.jalali import TEHRAN

from ..choices import Channel, DeliveryMode, DeliveryStatus, ReminderState, RuleCode
from ..models import Delivery, NotificationPreference, Reminder
from ..rules import ALWAYS_BATCHED_RULES, planners, rule_configs, tehran_at
from .delivery import enqueue_messages
from .planning import ReminderKey, reminder_key, reminders_refresh

if TYPE_CHECKING:
    from django.contrib.auth.models import User


#: A pending delivery whose message has not been handled after this long is enqueued again
#: (its message was lost: the broker was down at commit time). Longer than the broker's
#: visibility timeout (300 s), so a message merely waiting for redelivery is not doubled.
REENQUEUE_AFTER = timedelta(minutes=6)
#: Reminders one sweep takes; the rest wait a minute for the next sweep.
SWEEP_LIMIT = 1000
#: Rules that repeat (one row per day): the sweep re-plans their target after dispatch.
RECURRING_RULES = frozenset({RuleCode.ACTION_ITEM_OVERDUE, RuleCode.COMMITMENT_OVERDUE})


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


def _channels_for(user: User, pref: NotificationPreference | None) -> list[str]:
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


def dispatch(
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
        if reminder_key(r) not in current_keys.get(target_key, set()) or user is None:
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
    enqueue_messages(batches)

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
    enqueue_messages(batches)


@transaction.atomic
def reminders_sweep(*, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> SweepResult:
    """Turn the reminders due at ``now`` into deliveries and enqueue their tasks.

    Reads the due pending rows through the partial index ``reminder_due_pending`` and locks
    them with ``SKIP LOCKED``, so two sweeps at once split the work instead of sending
    twice (the unique delivery constraint is the last guard).
    """
    now = now or timezone.now()
    result = SweepResult()
    due = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(state=ReminderState.PENDING, due_at__lte=now)
        .order_by("due_at")[:limit]
    )
    dispatch(due, now=now, result=result)
    _reenqueue_lost(now=now, limit=limit, result=result)
    return result


def reminders_dispatch_now(
    *, target: Model, rules: Iterable[str], now: datetime | None = None
) -> SweepResult:
    """Dispatch at once the due pending reminders of ``target`` made by ``rules`` (the
    «work landed on you» notices), inside the caller's transaction: the same checks,
    holds and exactly-once deliveries as the sweep, without waiting for its minute. The
    messages are enqueued after commit; a rollback sends nothing."""
    now = now or timezone.now()
    result = SweepResult()
    due = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            rule__in=list(rules),
            state=ReminderState.PENDING,
            due_at__lte=now,
        )
        .order_by("due_at", "id")
    )
    dispatch(due, now=now, result=result)
    return result
