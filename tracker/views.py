"""Pages that belong to no domain app: health and the error pages (the home page is the
dashboard app's, the top layer)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "down"
        return f"database: {exc.__class__.__name__}"
    return None


def _check_broker() -> str | None:
    from tracker.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # any failure means "down"
        return f"broker: {exc.__class__.__name__}"
    return None


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer; 503 naming the failing part otherwise."""
    failures = [f for f in (_check_database(), _check_broker()) if f]
    body = {
        "status": "ok" if not failures else "unavailable",
        "database": "ok" if not any(f.startswith("database") for f in failures) else "down",
        "broker": "ok" if not any(f.startswith("broker") for f in failures) else "down",
        "errors": failures,
        "broker_transport": settings.CELERY_BROKER_URL.split(":", 1)[0],
    }
    return JsonResponse(body, status=200 if not failures else 503)


def _error_page(
    request: HttpRequest, code: int, page_message: str, api_message: str
) -> HttpResponse:
    """The error page, or for a path under ``/api/`` a JSON ``{"detail": …}``: an API client
    (or the fuzz run) reads the body as JSON whatever went wrong, a 500 included."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": api_message}, status=code)
    return render(
        request, "errors/error.html", {"code": code, "message": page_message}, status=code
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = "درخواست نامعتبر است."
    return _error_page(request, 400, message, message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 403, "اجازه دسترسی به این صفحه را ندارید.", "اجازه این کار را ندارید."
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "صفحه‌ای که خواستید پیدا نشد.", "پیدا نشد.")


def server_error(request: HttpRequest) -> HttpResponse:
    message = "خطای داخلی رخ داد؛ به پشتیبانی خبر دهید."
    return _error_page(request, 500, message, message)
