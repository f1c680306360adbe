"""Pages that belong to no domain app: health and the error pages (the home page is the
dashboard app's, the top layer)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import healthchecks


def _health_response(request: HttpRequest, report: healthchecks.Report) -> JsonResponse:
    body = report.public()
    # Exception classes, times, worker names and the queue are for staff only: an anonymous
    # caller (a load balancer) needs the verdict and the part that failed, nothing it could
    # use to fingerprint the stack.
    if getattr(request.user, "is_staff", False):
        body["details"] = report.details
    return JsonResponse(body, status=200 if report.healthy else 503)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the broker, the beat and a worker answer; else 503 naming
    the part that is down or stale (``tracker.healthchecks``)."""
    return _health_response(request, healthchecks.run())


@never_cache
def healthz_web(request: HttpRequest) -> JsonResponse:
    """What this web process needs (database, broker): the container healthcheck, which
    must not fail while the worker it gates is still starting."""
    return _health_response(request, healthchecks.run(processes=False))


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
