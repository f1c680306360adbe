"""Idle expiry of sessions: a session ends ``SESSION_COOKIE_AGE`` after its last request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` does this by writing the session on every request:
three more queries (savepoint, UPDATE, release) on each page and API call of a browser,
for an expiry that needs no such precision. Here the session is written again only when
its last renewal is older than ``SESSION_RENEW_SECONDS`` (a few minutes), so a session ends
between ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS`` and ``SESSION_COOKIE_AGE`` after
the user's last request. The login stamps the first renewal (it writes the session anyway).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

RENEWED_KEY = "_renewed_at"


def stamp_on_login(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the login is the session's first renewal. A token login
    (the same signal, no session login) is left without a session."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        session[RENEWED_KEY] = int(time.time())


class SessionIdleRenewalMiddleware:
    """Re-saves a signed-in session (renewing its expiry) once per renewal interval."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # The session's own keys, not request.user: no user query for this check. A
        # session signed in before this middleware existed has no stamp and gets one.
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - int(session.get(RENEWED_KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it
        return self.get_response(request)
