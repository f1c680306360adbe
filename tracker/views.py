"""Pages that belong to no domain app: home, health, error pages."""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from organizations.scoping import org_scope_for_user

from . import healthchecks


def _home_sections(user: Any) -> list[dict[str, Any]]:
    """Summaries each app offers for the home page (``<app>.selectors.home_summary_for_user``)."""
    sections = []
    for app in ("meetings", "agreements"):
        try:
            module = importlib.import_module(f"{app}.selectors")
        except ImportError:  # pragma: no cover - every app has selectors
            continue
        summary = getattr(module, "home_summary_for_user", None)
        if summary is not None:
            sections.append(summary(user=user))
    return sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = org_scope_for_user(request.user)
    memberships = request.user.memberships.select_related("organization").order_by(  # type: ignore[union-attr]
        "organization__name"
    )
    return render(
        request,
        "home.html",
        {
            "memberships": list(memberships),
            "sees_everything": scope.everything,
            "sections": _home_sections(request.user),
            "today": timezone.localdate(),
        },
    )


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
