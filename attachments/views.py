"""Pages of attachments: the list and upload form of one object, download, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tracker.exceptions import ApplicationError
from tracker.pages import forbidden, post_action, query_without_page
from tracker.text import normalize

from . import selectors, services
from .downloads import attachment_response
from .files import max_bytes
from .forms import AttachmentForm, AttachmentSearchForm

PAGE_SIZE = 25


def _list_url(slug: str, object_id: int) -> str:
    return reverse("attachments:attachment_list", args=[slug, object_id])


@login_required
def attachment_list(request: HttpRequest, slug: str, object_id: int) -> HttpResponse:
    entry, obj = selectors.attachable_get_for_user(user=request.user, slug=slug, pk=object_id)
    can_upload = selectors.user_can_upload(user=request.user, entry=entry, obj=obj)
    form = AttachmentForm()
    code = 200
    if request.method == "POST":
        if not can_upload:
            return forbidden(
                request, f"افزودن پیوست به این {entry.label} با کارشناسان سازمان مسئول آن است."
            )
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_upload(
                    actor=request.user,
                    entry=entry,
                    obj=obj,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except (ValidationError, ApplicationError) as exc:
                code = _form_error(form, exc)
            else:
                messages.success(request, "پیوست بارگذاری شد.")
                return redirect(_list_url(slug, obj.pk))
        else:
            code = 400
    search = AttachmentSearchForm(request.GET)
    rows = selectors.attachment_list(entry=entry, obj=obj)
    if search.is_valid() and search.cleaned_data["q"]:
        q = normalize(search.cleaned_data["q"])
        rows = rows.filter(Q(original_name__icontains=q) | Q(title__icontains=q))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    attachments = [
        (a, selectors.user_can_delete(user=request.user, entry=entry, obj=obj, attachment=a))
        for a in page
    ]
    context: dict[str, Any] = {
        "entry": entry,
        "obj": obj,
        "form": form,
        "search": search,
        "page": page,
        "attachments": attachments,
        "can_upload": can_upload,
        "max_mb": max_bytes() // 1_048_576,
        "query": query_without_page(request),
        "back_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
    }
    return render(request, "attachments/attachment_list.html", context, status=code)


def _form_error(form: AttachmentForm, exc: ValidationError | ApplicationError) -> int:
    """Put the service's refusal on the form; the answer's status follows it (413 for a
    file over the limit, as in the API)."""
    if isinstance(exc, ApplicationError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return exc.status
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    return 400


@login_required
def attachment_download(
    request: HttpRequest, slug: str, object_id: int, attachment_id: int
) -> FileResponse:
    entry, obj = selectors.attachable_get_for_user(user=request.user, slug=slug, pk=object_id)
    _e, _o, attachment = selectors.attachment_get_for_user(
        user=request.user, pk=attachment_id, entry=entry, obj=obj
    )
    return attachment_response(attachment)


@login_required
@require_POST
def attachment_delete(
    request: HttpRequest, slug: str, object_id: int, attachment_id: int
) -> HttpResponse:
    entry, obj = selectors.attachable_get_for_user(user=request.user, slug=slug, pk=object_id)
    _e, _o, attachment = selectors.attachment_get_for_user(
        user=request.user, pk=attachment_id, entry=entry, obj=obj
    )
    return post_action(
        request,
        run=lambda: services.attachment_delete(
            actor=request.user, entry=entry, obj=obj, attachment=attachment
        ),
        done=f"پیوست «{attachment.display_title}» حذف شد.",
        target=_list_url(slug, obj.pk),
    )
