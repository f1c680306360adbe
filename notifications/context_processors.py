"""Template context of every page that notifications provide: the unread in-app count."""

from __future__ import annotations

from django.http import HttpRequest

from .selectors import inbox_unread_count_for_user


def unread(request: HttpRequest) -> dict[str, object]:
    """``unread``: the in-app messages the signed-in user has not read (0 when anonymous)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread": 0}
    return {"unread": inbox_unread_count_for_user(user=user)}
