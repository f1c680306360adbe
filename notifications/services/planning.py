"""Planning: which reminders a target (meeting, action item, agreement) should have now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ..choices import LIVE_REMINDER_STATES, DeliveryStatus, ReminderState
from ..models import Delivery, Reminder
from ..rules import Planned, planner_for, rule_configs

#: A reminder planned this late (the target was saved just after its time) is still sent;
#: anything older was missed before the target existed and is not planned at all.
GRACE = timedelta(minutes=15)

ReminderKey = tuple[str, str, int, datetime]


def reminder_key(reminder: Reminder) -> ReminderKey:
    return (reminder.rule, reminder.kind, reminder.recipient_id, reminder.anchor_at)


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
    return _apply(target=target, desired=desired, now=now)


@transaction.atomic
def reminders_forget(*, target: Model, now: datetime | None = None) -> RefreshResult:
    """Cancel every pending reminder of ``target`` (and its deliveries not yet sent): for a
    target about to be deleted, which no planner can be asked about afterwards."""
    return _apply(target=target, desired=[], now=now or timezone.now())


def _apply(*, target: Model, desired: list[Planned], now: datetime) -> RefreshResult:
    content_type = ContentType.objects.get_for_model(target)
    # Locking the target's live rows makes a concurrent sweep (SKIP LOCKED) leave them alone
    # until this transaction decides their fate.
    existing = list(
        Reminder.objects.select_for_update()
        .filter(content_type=content_type, object_id=target.pk, state__in=LIVE_REMINDER_STATES)
        .order_by("id")
    )
    desired_keys = {p.key for p in desired}
    by_key = {reminder_key(r): r for r in existing}
    result = RefreshResult()

    unwanted_pending = [
        r.pk
        for r in existing
        if r.state == ReminderState.PENDING and reminder_key(r) not in desired_keys
    ]
    unwanted_dispatched = [
        r.pk
        for r in existing
        if r.state == ReminderState.DISPATCHED and reminder_key(r) not in desired_keys
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
