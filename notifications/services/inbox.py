"""The user's own inbox and notification preferences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..choices import Channel, DeliveryStatus
from ..models import Delivery, NotificationPreference

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def inbox_mark_read(
    *, actor: User, delivery_ids: Sequence[int] | None = None, now: datetime | None = None
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
def preference_update(*, actor: User, **fields: Any) -> NotificationPreference:
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
