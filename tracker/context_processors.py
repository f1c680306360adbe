"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Site name and, for a logged-in user, the unread in-app notifications count."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from notifications.selectors import inbox_unread_count_for_user

        unread = inbox_unread_count_for_user(user=user)
    return {"SITE_NAME": "سامانه پیگیری تفاهم‌نامه‌ها", "DEBUG": settings.DEBUG, "unread": unread}
