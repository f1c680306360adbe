"""Helpers of the operations tests: reminders and deliveries at a chosen age."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from notifications.choices import Channel, DeliveryStatus, ReminderState, RuleCode
from notifications.models import Delivery, Reminder
from tests.factories import ApiTokenFactory


def reminder_at(
    user: Any,
    when: datetime,
    *,
    state: str = ReminderState.DISPATCHED,
    delivery: str | None = DeliveryStatus.SENT,
    kind: str = "k",
) -> Reminder:
    """A reminder due at ``when``, last changed then, with one delivery of ``delivery``."""
    target = ApiTokenFactory(user=user, expires_at=when)  # any target will do
    reminder = Reminder.objects.create(
        target=target,
        rule=RuleCode.CUSTOM,
        kind=kind,
        recipient=user,
        due_at=when,
        anchor_at=when,
        state=state,
        title=f"یادآوری {kind}",
    )
    if delivery is not None:
        Delivery.objects.create(
            reminder=reminder,
            recipient=user,
            channel=Channel.IN_APP,
            status=delivery,
            sent_at=when if delivery == DeliveryStatus.SENT else None,
        )
    # auto_now fields: set the age the row would have had.
    Reminder.objects.filter(pk=reminder.pk).update(updated_at=when, created_at=when)
    return reminder
