"""The operations status page in the admin (health, queue, failures) and ``/metrics``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .metrics import allowed
from .metrics import render as render_metrics
from .selectors import operations_status


@never_cache
@staff_member_required
def status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "operations/status.html",
        {
            **admin.site.each_context(request),
            "title": "وضعیت فرایندها",
            "status": operations_status(),
        },
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format for a scraper holding ``METRICS_TOKEN`` or an allowed address."""
    if not allowed(request):
        return JsonResponse({"detail": "دسترسی به سنجه‌ها مجاز نیست."}, status=403)
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
