"""«ثبت از روی متن»: paste a report, read it into a draft meeting, review it, save.

The page calls the same service as ``POST /api/v1/meetings/from-text/``: the draft is logged
(host-only, ``needs_review``) and the user lands on its edit form, where each field the
reader was unsure of is highlighted with the reader's message and the text it came from.
«ذخیره و تأیید» there saves the corrections and confirms the meeting in one transaction
(``meeting_update(confirm_review=True)``); the meeting page has a «تأیید جلسه» button too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from organizations.choices import Role
from organizations.scoping import org_scope_for_user
from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden, post_action

from . import selectors, services
from .forms import FIELD_ALIASES, FromTextForm
from .models import Meeting

NO_STAFF_ROLE = (
    "برای ثبت جلسه باید دست‌کم در یک سازمان نقش «کارشناس» یا بالاتر داشته باشید. "
    "اکنون فقط می‌توانید جلسات را ببینید."
)


def _may_log(user: Any) -> bool:
    scope = org_scope_for_user(user)
    return scope.everything or bool(scope.ids_with_role(Role.STAFF))


@login_required
def meeting_from_text(request: HttpRequest) -> HttpResponse:
    if not _may_log(request.user):
        return forbidden(request, NO_STAFF_ROLE)
    form = FromTextForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting, _review = services.meeting_from_text(
                actor=actor_of(request),
                text=form.cleaned_data["text"],
                host=form.cleaned_data["host"],
                published_on=form.cleaned_data["published_on"],
            )
        except ValidationError as exc:
            for key, found in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, found)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                "جلسه از روی متن خوانده شد. موارد نشان‌دار را بررسی و در صورت نیاز اصلاح "
                "کنید، سپس «ذخیره و تأیید» را بزنید.",
            )
            return redirect(reverse("meetings:meeting_edit", args=[meeting.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_from_text.html", {"form": form}, status=status)


@login_required
@require_POST
def meeting_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    return post_action(
        request,
        run=lambda: services.meeting_confirm(actor=actor_of(request), meeting=meeting),
        done="جلسه تأیید شد و اکنون برای سازمان‌های شرکت‌کننده هم دیده می‌شود.",
        target=meeting.get_absolute_url(),
    )


def _html_name(field: str) -> str:
    """``attendances.1.person`` -> ``attendances-1-person`` (the formset's input name)."""
    parts = field.split(".")
    if len(parts) == 3:
        section, index, name = parts
        return f"{section}-{index}-{FIELD_ALIASES.get(name, name)}"
    return field


def review_context(meeting: Meeting) -> dict[str, Any]:
    """What the edit form shows of a meeting read from a report: the notes by input name
    (the fields highlight themselves) and the whole list (a box above the form)."""
    if not meeting.needs_review:
        return {}
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in meeting.review_items:
        by_name[_html_name(str(item.get("field", "")))].append(item)
    return {"review": dict(by_name), "review_items": meeting.review_items}
