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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "errors/error.html", {"code": 400, "message": "درخواست نامعتبر است."}, status=400
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {"code": 403, "message": "اجازه دسترسی به این صفحه را ندارید."},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # API clients get JSON even for paths that match no route.
        return JsonResponse({"detail": "پیدا نشد."}, status=404)
    return render(
        request,
        "errors/error.html",
        {"code": 404, "message": "صفحه‌ای که خواستید پیدا نشد."},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {"code": 500, "message": "خطای داخلی رخ داد؛ به پشتیبانی خبر دهید."},
        status=500,
    )
