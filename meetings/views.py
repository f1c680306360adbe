"""Pages of meetings and action items. Selectors read, services write; templates run no
queries (everything is listed or prefetched here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user
from organizations.selectors import person_list_for_user
from tracker import limits
from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.jalali.forms import JalaliDateField
from tracker.pages import forbidden, post_action, query_without_page
from tracker.paging import list_page
from tracker.search import ranked
from tracker.text import to_persian_digits

from . import selectors, services
from .calendar import meetings_to_ics
from .choices import (
    EDITABLE_STATUSES,
    ActionItemStatus,
    InvitationResponse,
    MeetingStatus,
    OpenItemsOnCancel,
)
from .documents import TEMPLATE as MINUTES_TEMPLATE
from .documents import minutes_context, minutes_pdf
from .filters import ActionItemFilter, MeetingFilter
from .forms import MeetingLogForms
from .intake_pages import review_context, signed_proposals
from .models import ActionItem, Meeting

PAGE_SIZE = 25


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    try:
        return selectors.meeting_get_for_user(user=request.user, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def _may_log_meetings(user: Any) -> bool:
    """Logging a meeting needs the staff role in some organisation (the host must be one of
    them: see ``services.validation.check_host``)."""
    scope = org_scope_for_user(user)
    return scope.everything or bool(scope.ids_with_role(Role.STAFF))


def _workable_item_ids(user: Any, *lists: Any) -> set[int]:
    """Ids of the open items whose «انجام شد»/«واگذاری» buttons the user may use."""
    return {
        item.pk
        for items in lists
        for item in items
        if item.status == ActionItemStatus.OPEN and services.may_work_on_action_item(user, item)
    }


NO_STAFF_ROLE = (
    "برای ثبت جلسه باید دست‌کم در یک سازمان نقش «کارشناس» یا بالاتر داشته باشید. "
    "اکنون فقط می‌توانید جلسات را ببینید؛ برای ثبت جلسه از مدیر سامانه سازمان خود "
    "بخواهید نقش شما را تغییر دهد."
)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    filterset = MeetingFilter(
        request.GET,
        queryset=selectors.meeting_list_page_for_user(user=request.user),
        request=request,
    )
    page = list_page(ranked(filterset.qs, "-start", "-id"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_log": _may_log_meetings(request.user),
            # A meeting hosted outside the user's organisations is an invitation (marked in
            # its row); None for a superuser, who is host of nothing and sees everything.
            "own_org_ids": _own_org_ids(request.user),
        },
    )


def _own_org_ids(user: Any) -> frozenset[int] | None:
    scope = org_scope_for_user(user)
    return None if scope.everything else scope.ids


NOT_HOST_STAFF = (
    "ویرایش این جلسه با کارشناسان سازمان میزبان است؛ برای ویرایش باید در سازمان میزبان "
    "دست‌کم نقش «کارشناس» داشته باشید."
)
MINUTES_APPROVED = (
    "صورتجلسه این جلسه تأیید شده است؛ صورتجلسه، حاضران و مصوبات دیگر تغییر نمی‌کنند. "
    "برای اصلاح، الحاقیه ثبت کنید."
)
CANCELLED = "این جلسه لغو شده است و ویرایش نمی‌شود."


def _edit_refusal(scope: Any, meeting: Meeting) -> str | None:
    """Why the user may not edit the meeting, or None: the same checks, in the same order,
    as ``services.meeting_update`` (staff of the host; ``_require_editable``)."""
    if not scope.has_role(meeting.host_id, Role.STAFF):
        return NOT_HOST_STAFF
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        return MINUTES_APPROVED
    if meeting.status not in EDITABLE_STATUSES:
        return CANCELLED
    return None


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    context = minutes_context(
        meeting, list(selectors.carried_over_action_items(user=request.user, meeting=meeting))
    )
    context["today"] = timezone.localdate()
    scope = org_scope_for_user(request.user)
    # The roles the services require (meetings/services.py): staff of the host marks held,
    # cancels and adds addenda; a manager of the host approves the minutes.
    context["can_manage"] = scope.has_role(meeting.host_id, Role.STAFF)
    context["can_approve"] = scope.has_role(meeting.host_id, Role.MANAGER)
    context["can_edit"] = _edit_refusal(scope, meeting) is None
    context["can_confirm"] = meeting.needs_review and context["can_manage"]
    # The MoU its report said was signed, opened on confirmation if the box stays ticked.
    context["signed_proposals"] = (
        signed_proposals(meeting.review_items) if context["can_confirm"] else []
    )
    # The cancel form asks what becomes of these (meeting_cancel's open_items).
    context["open_item_count"] = sum(
        1 for item in context["action_items"] if item.status == ActionItemStatus.OPEN
    )
    context["open_items_choices"] = OpenItemsOnCancel.choices
    context["workable"] = _workable_item_ids(
        request.user, context["action_items"], context["carried_over"]
    )
    # The invitation: the participants that declined (the host sees them), and the
    # participant organisations whose answer this user may give, with their answer now.
    responses = list(meeting.participant_responses.all())
    declined = selectors.declined_organization_ids(meeting)
    context["declined_responses"] = [r for r in responses if r.organization_id in declined]
    answerable = set(selectors.invitation_answerable_ids(user=request.user, meeting=meeting))
    context["invitations"] = [
        {"organization": org, "declined": org.pk in declined}
        for org in context["participants"]
        if org.pk in answerable
    ]
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant organisation's staff decline the host's invitation or accept it again."""
    meeting = _meeting_or_404(request, pk)
    response = request.POST.get("response", "")
    org_id = request.POST.get("organization", "")
    organization = next(
        (o for o in meeting.participants.all() if str(o.pk) == org_id.strip()), None
    )

    def run() -> Any:
        org = organization or services.invitation_organization(user=request.user, meeting=meeting)
        return services.meeting_invitation_respond(
            actor=actor_of(request), meeting=meeting, organization=org, response=response
        )

    def done(answer: Any) -> str:
        if answer.response == InvitationResponse.DECLINED:
            return (
                f"دعوت این جلسه از سوی «{answer.organization.name}» رد شد؛ جلسه از فهرست‌ها، "
                "تقویم و یادآوری‌های آن برداشته شد."
            )
        return f"دعوت این جلسه از سوی «{answer.organization.name}» پذیرفته شد."

    return post_action(request, run=run, done=done, target=meeting.get_absolute_url())


@login_required
def meeting_log(request: HttpRequest) -> HttpResponse:
    if not _may_log_meetings(request.user):
        return forbidden(request, NO_STAFF_ROLE)
    bundle = MeetingLogForms(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and bundle.is_valid():
        try:
            meeting = services.meeting_log(actor=actor_of(request), **bundle.service_kwargs())
        except ValidationError as exc:
            bundle.add_service_errors(exc)
        except ApplicationError as exc:
            bundle.meeting.add_error(None, exc.message)
        else:
            messages.success(request, "جلسه ثبت شد.")
            return redirect(meeting.get_absolute_url())
    elif request.method == "POST":
        # All mistakes in one round: the service's checks of what did parse (the rows'
        # owners, names, deadlines), not only once the form's own errors are fixed.
        errors = services.meeting_log_errors(
            actor=actor_of(request), **bundle.partial_service_kwargs()
        )
        if errors:
            bundle.add_service_errors(ValidationError(errors), only_new=True)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/meeting_form.html",
        {"forms": bundle, "form": bundle.meeting, "formsets": bundle.formsets},
        status=status,
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """«ویرایش جلسه»: the «ثبت جلسه» form prefilled, saved by ``services.meeting_update``
    (one transaction: the meeting, its participants, attendances, agenda and decisions)."""
    meeting = _meeting_or_404(request, pk)
    refusal = _edit_refusal(org_scope_for_user(request.user), meeting)
    if refusal is not None:
        return forbidden(request, refusal)
    data = request.POST if request.method == "POST" else None
    bundle = MeetingLogForms(data, user=request.user, meeting=meeting)
    # A meeting read from a report: «ذخیره و تأیید» saves and confirms it in one step.
    confirm = meeting.needs_review and request.POST.get("confirm") == "1"
    if request.method == "POST" and bundle.is_valid():
        try:
            services.meeting_review_save(
                actor=actor_of(request),
                meeting=meeting,
                confirm=confirm,
                create_agreements=request.POST.get("create_agreements") == "1",
                **bundle.update_kwargs(),
            )
        except ValidationError as exc:
            bundle.add_service_errors(exc)
        except ApplicationError as exc:
            bundle.meeting.add_error(None, exc.message)
        else:
            messages.success(
                request, "جلسه ذخیره و تأیید شد." if confirm else "تغییرات جلسه ذخیره شد."
            )
            return redirect(meeting.get_absolute_url())
    elif request.method == "POST":
        # All mistakes in one round, as «ثبت جلسه»: the rows are checked even when the start
        # (or any field) did not parse, with what did.
        errors = services.meeting_update_errors(
            actor=actor_of(request), meeting=meeting, **bundle.partial_update_kwargs()
        )
        if errors:
            bundle.add_service_errors(ValidationError(errors), only_new=True)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "forms": bundle,
            "form": bundle.meeting,
            "formsets": bundle.formsets,
            "meeting": meeting,
            **review_context(meeting),
        },
        status=status,
    )


def _meeting_action(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    return post_action(
        request, run=lambda: run(meeting), done=done, target=meeting.get_absolute_url()
    )


@login_required
@require_POST
def meeting_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        pk,
        lambda m: services.meeting_mark_held(actor=actor_of(request), meeting=m),
        "جلسه برگزارشده ثبت شد.",
    )


@login_required
@require_POST
def meeting_approve_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        pk,
        lambda m: services.minutes_approve(actor=actor_of(request), meeting=m),
        "صورتجلسه تأیید شد.",
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    # Required by the service when the meeting has open items (a Persian refusal otherwise).
    open_items = request.POST.get("open_items") or None
    return _meeting_action(
        request,
        pk,
        lambda m: services.meeting_cancel(
            actor=actor_of(request), meeting=m, reason=reason, open_items=open_items
        ),
        "جلسه لغو شد.",
    )


@login_required
@require_POST
def meeting_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    text = request.POST.get("text", "")
    return _meeting_action(
        request,
        pk,
        lambda m: services.minutes_addendum_add(actor=actor_of(request), meeting=m, text=text),
        "الحاقیه ثبت شد.",
    )


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    carried = list(selectors.carried_over_action_items(user=request.user, meeting=meeting))
    return render(request, MINUTES_TEMPLATE, minutes_context(meeting, carried))


@login_required
def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    carried = list(selectors.carried_over_action_items(user=request.user, meeting=meeting))
    response = HttpResponse(minutes_pdf(meeting, carried, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.pk}.pdf"'
    return response


@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    response = HttpResponse(
        meetings_to_ics([meeting], name=meeting.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The personal feed: no login, the secret address is the credential; revoked: 404."""
    user = selectors.calendar_feed_user(key=key)
    if user is None:
        raise Http404
    meetings = selectors.meetings_for_calendar_feed(user=user)
    response = HttpResponse(
        meetings_to_ics(meetings, name="جلسات من"), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_token_revoke(actor=actor_of(request))
            messages.success(request, "نشانی تقویم باطل شد.")
            return redirect("meetings:calendar_feed_settings")
        _, key = services.calendar_feed_token_create(actor=actor_of(request))
        new_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[key]))
    token = selectors.calendar_feed_token_for_user(user=request.user)
    return render(request, "meetings/calendar_feed.html", {"token": token, "new_url": new_url})


# --- Action items -----------------------------------------------------------------------


@login_required
def action_item_list(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if "view" not in params and "status" not in params:
        params["status"] = "open"
    filterset = ActionItemFilter(
        params, queryset=selectors.action_item_list_for_user(user=request.user), request=request
    )
    page = list_page(ranked(filterset.qs, "due_date", "id"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "meetings/actionitem_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "today": timezone.localdate(),
            "view": request.GET.get("view", ""),
            "workable": _workable_item_ids(request.user, page),
        },
    )


def _item_or_404(request: HttpRequest, pk: int) -> ActionItem:
    try:
        return selectors.action_item_get_for_user(user=request.user, pk=pk)
    except ActionItem.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def action_item_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("meetings:action_item_list")
    note = request.POST.get("note", "")
    if len(note) > limits.COMPLETION_NOTE:
        # The API's serializer has the same limit; the page's form is this one field.
        messages.error(
            request,
            f"توضیح انجام باید حداکثر {to_persian_digits(str(limits.COMPLETION_NOTE))} نویسه باشد.",
        )
        return redirect(target)
    return post_action(
        request,
        run=lambda: services.action_item_complete(
            actor=actor_of(request), action_item=item, note=note
        ),
        done="اقدام انجام‌شده ثبت شد.",
        target=target,
    )


class ReassignForm(forms.Form):
    owner_person = forms.ModelChoiceField(
        label="مسئول (شخص)", queryset=Organization.objects.none(), required=False
    )
    owner_organization = forms.ModelChoiceField(
        label="مسئول (سازمان)",
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    due_date = JalaliDateField(label="مهلت تازه", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = person_list_for_user(user=user).order_by("full_name", "id")
        self.fields["owner_person"].queryset = people  # type: ignore[attr-defined]


@login_required
def action_item_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    if not services.may_work_on_action_item(actor_of(request), item):
        return forbidden(
            request,
            "واگذاری این اقدام با کارشناسان سازمان میزبان جلسه یا سازمان مسئول اقدام است.",
        )
    initial = {
        "owner_person": item.owner_person_id,
        "owner_organization": item.owner_organization_id,
        "due_date": item.due_date,
    }
    form = ReassignForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_reassign(
                actor=actor_of(request), action_item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "اقدام واگذار شد.")
            return redirect("meetings:action_item_list")
    return render(request, "meetings/actionitem_reassign.html", {"form": form, "item": item})
