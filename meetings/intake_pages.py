"""«ثبت از روی متن»: paste a report, read it (a preview that writes nothing), save.

«خواندن متن» runs ``services.meeting_from_text_preview``: the very service of ``POST
/api/v1/meetings/from-text/``, rolled back, so the page shows the meeting as it would be
logged, each uncertain reading with its message and the text it came from, and nothing is
kept until the person saves. The preview carries the text (hidden) and the title (editable):
«ذخیره و تأیید» logs and confirms the meeting in one transaction; «ذخیره و ویرایش» logs it
as a draft (host-only, ``needs_review``) and opens its edit form, where «ذخیره و تأیید»
(``meeting_update(confirm_review=True)``) or the meeting page's «تأیید جلسه» confirm it.
The same text already logged for the same host is said (with a link) before any of this.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
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
DUPLICATE = (
    "این متن پیش‌تر برای «{host}» ثبت شده است: «{title}». اگر جلسه دیگری است، "
    "«{allow}» را بزنید و دوباره بخوانید."
)
#: The buttons of the two steps: read (a preview), back to the text, save as a draft to
#: review in the form, save and confirm.
STEPS = ("read", "edit", "save", "confirm")
#: The sections of the preview whose rows carry review notes (``<section>.<index>.<field>``).
ROW_SECTIONS = ("attendances", "statements", "decisions", "action_items")


def _may_log(user: Any) -> bool:
    scope = org_scope_for_user(user)
    return scope.everything or bool(scope.ids_with_role(Role.STAFF))


def _service_kwargs(form: FromTextForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "text": data["text"],
        "host": data["host"],
        "published_on": data["published_on"],
        "allow_duplicate": data["allow_duplicate"],
        "title": data["title"] or "",
    }


def _refused(form: FromTextForm, exc: Exception) -> dict[str, Any]:
    """Put the service's refusal on the form; the context the text step needs for it."""
    if isinstance(exc, services.DuplicateReportError):
        found = exc.meeting
        form.add_error(
            "text",
            DUPLICATE.format(
                host=found.host.name,
                title=found.title,
                allow=form.fields["allow_duplicate"].label,
            ),
        )
        return {"duplicate": found}
    if isinstance(exc, ValidationError):
        for key, found_messages in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, found_messages)
    elif isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
    return {}


def _preview_notes(review: list[dict[str, Any]]) -> dict[str, Any]:
    """The review notes by meeting field (``start``) and by section row (``attendances`` ->
    row index -> notes), for the preview to show each beside what it is about."""
    fields: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows: dict[str, dict[int, list[dict[str, Any]]]] = {s: defaultdict(list) for s in ROW_SECTIONS}
    for item in review:
        section, _, rest = str(item.get("field", "")).partition(".")
        index = rest.partition(".")[0]
        if section in rows and index.isdigit():
            rows[section][int(index)].append(item)
        else:
            fields[section].append(item)
    return {"fields": dict(fields), **{s: dict(r) for s, r in rows.items()}}


@login_required
def meeting_from_text(request: HttpRequest) -> HttpResponse:
    if not _may_log(request.user):
        return forbidden(request, NO_STAFF_ROLE)
    form = FromTextForm(request.POST if request.method == "POST" else None, user=request.user)
    context: dict[str, Any] = {"form": form}
    step = request.POST.get("step", "read")
    if step not in STEPS:
        step = "read"  # a form from elsewhere writes nothing: it is read, not saved
    if request.method != "POST":
        return render(request, "meetings/meeting_from_text.html", context)
    if step == "edit" or not form.is_valid():
        # «اصلاح متن» of the preview: back to the text as sent, nothing read.
        status = 200 if step == "edit" else 400
        return render(request, "meetings/meeting_from_text.html", context, status=status)
    actor = actor_of(request)
    try:
        if step == "read":
            preview = services.meeting_from_text_preview(actor=actor, **_service_kwargs(form))
        else:
            confirm = step == "confirm"
            meeting, _review = services.meeting_from_text(
                actor=actor,
                confirm=confirm,
                create_agreements=request.POST.get("create_agreements") == "1",
                **_service_kwargs(form),
            )
    except (ValidationError, ApplicationError) as exc:
        context.update(_refused(form, exc))
        return render(request, "meetings/meeting_from_text.html", context, status=400)
    if step == "read":
        context.update(
            preview=preview,
            notes=_preview_notes(preview.review),
            signed_proposals=signed_proposals(preview.review),
        )
        return render(request, "meetings/meeting_from_text_preview.html", context)
    if confirm:
        messages.success(request, "جلسه از روی متن ثبت و تأیید شد.")
        return redirect(meeting.get_absolute_url())
    messages.success(
        request,
        "جلسه از روی متن ثبت شد و تا تأیید فقط برای سازمان میزبان دیده می‌شود. موارد "
        "نشان‌دار را بررسی و در صورت نیاز اصلاح کنید، سپس «ذخیره و تأیید» را بزنید.",
    )
    return redirect(reverse("meetings:meeting_edit", args=[meeting.pk]))


@login_required
@require_POST
def meeting_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    return post_action(
        request,
        run=lambda: services.meeting_review_confirm(
            actor=actor_of(request),
            meeting=meeting,
            # The meeting page's box (shown only when the report signed an MoU).
            create_agreements=request.POST.get("create_agreements") == "1",
        ),
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
    return {
        "review": dict(by_name),
        "review_items": meeting.review_items,
        "signed_proposals": signed_proposals(meeting.review_items),
    }


def signed_proposals(review: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The MoUs the report said were signed and not opened yet: title and signing date."""
    return [
        {
            "title": proposal.get("title", ""),
            "signed_date": date.fromisoformat(proposal["signed_date"]),
        }
        for item in review
        if item.get("field") == "agreements"
        and isinstance(proposal := item.get("agreement"), dict)
        and not proposal.get("created")
    ]
