"""The operations status page in the admin: health of the processes, queue, failures."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
