"""The inbox page: in-app messages, mark-read, and the user's notification preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tracker.actors import actor_of

from . import selectors, services
from .forms import PreferenceForm

PAGE_SIZE = 25


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.inbox_list_for_user(user=request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/delivery_inbox.html",
        {
            "page": page,
            "messages_list": list(page.object_list),
            "unread_only": unread_only,
            "query": "unread=1" if unread_only else "",
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.getlist("id")
    # Only plain ASCII ids that fit a bigint: «²» is a digit to str.isdigit() but not to int().
    ids = [int(v) for v in raw if v.isascii() and v.isdigit() and len(v) < 19] if raw else None
    count = services.inbox_mark_read(actor=actor_of(request), delivery_ids=ids)
    if count:
        messages.success(request, "پیام‌ها خوانده‌شده علامت خوردند.")
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preference_for_user(user=request.user)
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(
                actor=actor_of(request),
                **{name: form.cleaned_data[name] for name in PreferenceForm.Meta.fields},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "ترجیحات اعلان ذخیره شد.")
            return redirect("notifications:inbox")
    return render(request, "notifications/preference_form.html", {"form": form})
