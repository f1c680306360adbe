"""«پیش‌نویس تفاهم‌نامه از این جلسه»: the agreement form, prefilled from a meeting, whose
draft is linked to the meeting when saved (``services.meeting_agreement_draft``).

A page of the meetings app, not of agreements: agreements sit below meetings in the layers
(pyproject.toml), so only this side may read both a meeting and the agreement form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agreements.forms import AgreementCreateForm
from agreements.selectors import agreement_form_initial, agreement_owner_choices
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user
from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden

from . import selectors, services
from .choices import MeetingStatus
from .models import Meeting

NOT_HOST_STAFF = (
    "پیش‌نویس تفاهم‌نامه از جلسه با کارشناسان سازمان میزبان جلسه است؛ شما می‌توانید جلسه را ببینید."
)
CANCELLED = "این جلسه لغو شده است؛ از آن پیش‌نویس تفاهم‌نامه ساخته نمی‌شود."
TITLE_MAX = 255


def draft_initial(meeting: Meeting) -> dict[str, Any]:
    """Parties (host first, then the first other organisation), the title from the agenda
    (or the meeting's title) and the agenda as the subject."""
    others = sorted(meeting.participants.all(), key=lambda o: (o.name, o.pk))
    agenda = [item.title for item in meeting.agenda_items.all()]
    title = agenda[0] if len(agenda) == 1 else meeting.title
    initial: dict[str, Any] = {
        "first_party": meeting.host_id,
        "title": title[:TITLE_MAX],
        "subject": "\n".join(f"- {t}" for t in agenda),
    }
    if others:
        initial["second_party"] = others[0].pk
    return initial


def _form_errors(form: Any, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    elif isinstance(exc, ApplicationError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def meeting_agreement_draft(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    if not org_scope_for_user(request.user).has_role(meeting.host_id, Role.STAFF):
        return forbidden(request, NOT_HOST_STAFF)
    if meeting.status == MeetingStatus.CANCELLED:
        return forbidden(request, CANCELLED)
    owners = agreement_owner_choices(user=request.user)
    initial, suggestions = agreement_form_initial(
        user=request.user, owners=owners, preferred_owner_id=meeting.host_id
    )
    form = AgreementCreateForm(
        request.POST or None,
        owners=owners,
        organizations=Organization.objects.filter(is_active=True).order_by("name"),
        initial=draft_initial(meeting) | initial,
        reference_suggestions=suggestions,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = form.parties()
        for name in ("first_party", "second_party", "witness"):
            data.pop(name, None)
        try:
            agreement = services.meeting_agreement_draft(
                actor=actor_of(request), meeting=meeting, parties=parties, **data
            )
        except (ValidationError, ApplicationError) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "پیش‌نویس تفاهم‌نامه ثبت شد و به جلسه پیوند خورد.")
            return redirect(agreement.get_absolute_url())
    more = sorted(meeting.participants.all(), key=lambda o: (o.name, o.pk))[1:]
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "agreement": None, "meeting": meeting, "more_parties": more},
        status=400 if request.method == "POST" else 200,
    )
