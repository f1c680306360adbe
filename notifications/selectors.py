"""Reads of reminders and deliveries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .choices import Channel, DeliveryStatus
from .models import Delivery, NotificationPreference


def inbox_list_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Delivery]:
    """The user's in-app messages, newest first, with their reminder (one query a page)."""
    if user is None or not user.is_authenticated:
        return Delivery.objects.none()
    qs = (
        Delivery.objects.filter(recipient=user, channel=Channel.IN_APP, status=DeliveryStatus.SENT)
        .select_related("reminder")
        .order_by("-sent_at", "-id")
    )
    if unread_only:
        qs = qs.filter(read_at=None)
    return qs


def inbox_unread_count_for_user(*, user: Any) -> int:
    """Number of unread in-app messages of the user: one COUNT on a partial index."""
    if user is None or not user.is_authenticated:
        return 0
    return Delivery.objects.filter(
        recipient=user, channel=Channel.IN_APP, status=DeliveryStatus.SENT, read_at=None
    ).count()


def preference_for_user(*, user: Any) -> NotificationPreference:
    """The user's preferences, or unsaved defaults (in-app and e-mail, immediate)."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref if pref is not None else NotificationPreference(user=user)


def home_summary_for_user(*, user: Any) -> dict[str, Any]:
    """The home page's box: the latest unread messages."""
    unread = list(inbox_list_for_user(user=user, unread_only=True)[:5])
    return {
        "title": "پیام‌های خوانده‌نشده",
        "items": [
            {"url": d.reminder.url or "/notifications/", "label": d.reminder.title, "note": ""}
            for d in unread
        ],
        "empty": "پیام خوانده‌نشده‌ای ندارید.",
        "more_url": "/notifications/",
    }
