"""Template context shared by every page (the unread count is notifications' own)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """The site's name and whether it runs in debug mode."""
    return {"SITE_NAME": "سامانه پیگیری تفاهم‌نامه‌ها", "DEBUG": settings.DEBUG}
