"""The admin's actions on deliveries and reminders: retry, send now."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from tracker.exceptions import PermissionDeniedError

from ..choices import DeliveryStatus, ReminderState
from ..models import Delivery, Reminder
from .delivery import enqueue_messages
from .sweep import SweepResult, dispatch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def _require_admin(actor: User) -> None:
    if not (actor is not None and actor.is_active and (actor.is_staff or actor.is_superuser)):
        raise PermissionDeniedError("این کار فقط از پنل مدیریت ممکن است.")


@transaction.atomic
def deliveries_retry(*, actor: User, delivery_ids: Sequence[int]) -> int:
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
    enqueue_messages([[pk] for pk in ids])
    logger.info("deliveries %s retried by %s", ids, actor)
    return len(ids)


@transaction.atomic
def deliveries_send_now(*, actor: User, delivery_ids: Sequence[int]) -> int:
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
    enqueue_messages([[pk] for pk in ids])
    logger.info("deliveries %s sent now by %s", ids, actor)
    return len(ids)


@transaction.atomic
def reminders_send_now(
    *, actor: User, reminder_ids: Sequence[int], now: datetime | None = None
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
    dispatch(due, now=now, result=result, ignore_holds=True)
    logger.info("reminders %s sent now by %s", [r.pk for r in due], actor)
    return result
