"""What a locked-out login sees (django-axes' ``AXES_LOCKOUT_CALLABLE``), on every door.

Axes' own answer is an English page (or JSON only for ``X-Requested-With``); here the web
and admin logins get a Persian page and ``/api/`` a Persian JSON 429, both saying when the
cool-off ends, with ``Retry-After``.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from tracker.jalali import format_datetime


def cool_off_end(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime:
    """When the lock on this username or address lifts: the cool-off runs from the failure
    that locked (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``)."""
    now = timezone.now()
    cool_off = get_cool_off(request)
    if cool_off is None:  # pragma: no cover - settings always give one
        return now
    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None) or ""
    last = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        last=Max("attempt_time")
    )["last"]
    return max(now, (last or now) + cool_off)


def lockout_message(until: datetime) -> str:
    return (
        "به دلیل تلاش‌های ناموفق پیاپی، ورود با این نام کاربری یا از این نشانی موقتاً بسته "
        f"شده است. پس از {format_datetime(until)} دوباره تلاش کنید."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    until = cool_off_end(request, credentials)
    message = lockout_message(until)
    retry_after = str(max(1, math.ceil((until - timezone.now()).total_seconds())))
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message, "retry_at": until.isoformat()},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = retry_after
    return response
