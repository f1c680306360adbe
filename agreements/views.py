"""Pages of agreements. Selectors read (through the user's scope), services write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user
from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden, post_action, query_without_page
from tracker.paging import list_page
from tracker.search import ranked

from . import exports, selectors, services
from .choices import AgreementStatus
from .filters import AgreementFilter
from .forms import (
    AgreementCreateForm,
    AgreementEditForm,
    ApprovalForm,
    PartyForm,
    TransitionForm,
    VersionForm,
)

PAGE_SIZE = 25


def _form_error(form: Any, exc: Exception) -> None:
    """Put a service's refusal next to the field it names (or on top of the form)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    elif isinstance(exc, ApplicationError):
        named = exc.field if exc.field in form.fields else None
        form.add_error(named, exc.message)


NOT_OWNER_STAFF = (
    "تغییر این تفاهم‌نامه با کارشناسان (یا مدیران) سازمان مالک آن است؛ "
    "شما فقط می‌توانید آن را ببینید."
)
NO_STAFF_ROLE = (
    "برای ثبت تفاهم‌نامه باید دست‌کم در یک سازمان نقش «کارشناس» یا بالاتر داشته باشید؛ "
    "اکنون فقط می‌توانید تفاهم‌نامه‌ها را ببینید."
)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    filterset = AgreementFilter(
        request.GET, queryset=selectors.agreement_list_for_user(user=request.user), request=request
    )
    page = list_page(ranked(filterset.qs, "-updated_at", "-id"), request.GET.get("page"), PAGE_SIZE)
    can_create = bool(
        org_scope_for_user(request.user).everything
        or org_scope_for_user(request.user).ids_with_role(Role.STAFF)
    )
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": can_create,
        },
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    scope = org_scope_for_user(request.user)
    if not scope.everything and not scope.ids_with_role(Role.STAFF):
        return forbidden(request, NO_STAFF_ROLE)
    owners = selectors.agreement_owner_choices(user=request.user)
    initial, suggestions = selectors.agreement_form_initial(user=request.user, owners=owners)
    form = AgreementCreateForm(
        request.POST or None,
        owners=owners,
        organizations=Organization.objects.filter(is_active=True).order_by("name"),
        initial=initial,
        reference_suggestions=suggestions,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = form.parties()
        for name in ("first_party", "second_party", "witness"):
            data.pop(name, None)
        try:
            agreement = services.agreement_create(actor=actor_of(request), parties=parties, **data)
        except (ValidationError, ApplicationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "تفاهم‌نامه ثبت شد.")
            return redirect(agreement.get_absolute_url())
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": None})


#: Sections higher apps add to the agreement's page, registered in their ``ready()``: each
#: is called with ``user`` and ``agreement`` and returns a context with its ``template``.
SECTIONS: list[Callable[..., dict[str, Any]]] = []


def register_section(section: Callable[..., dict[str, Any]]) -> None:
    if section not in SECTIONS:
        SECTIONS.append(section)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    versions = list(selectors.agreement_versions(user=request.user, agreement=agreement))
    current = next((v for v in versions if v.is_current), None)
    approvals = list(selectors.agreement_approvals(user=request.user, agreement=agreement))
    approved_party_ids = {
        a.party_id for a in approvals if current is not None and a.version_id == current.pk
    }
    parties = [
        {"party": p, "approved": p.pk in approved_party_ids} for p in agreement.parties.all()
    ]
    can_approve = agreement.status == AgreementStatus.NEGOTIATION and current is not None
    approvable = (
        {p.pk for p in selectors.approvable_parties(user=request.user, agreement=agreement)}
        if can_approve
        else set()
    )
    can_edit = selectors.user_can_edit(user=request.user, agreement=agreement)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "versions": versions,
            "current": current,
            "parties": parties,
            "approvable": approvable,
            "transitions": selectors.agreement_transitions_for_user(
                user=request.user, agreement=agreement
            ),
            "timeline": selectors.agreement_timeline(user=request.user, agreement=agreement),
            "can_edit": can_edit and agreement.status not in services.FINAL_STATUSES,
            "can_change_text": can_edit and agreement.status in services.TEXT_STATUSES,
            "party_form": PartyForm() if can_edit else None,
            "sections": [section(user=request.user, agreement=agreement) for section in SECTIONS],
        },
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not selectors.user_can_edit(user=request.user, agreement=agreement):
        return forbidden(request, NOT_OWNER_STAFF)
    initial = {name: getattr(agreement, name) for name in AgreementEditForm.base_fields}
    initial["lock_version"] = agreement.lock_version
    initial.pop("signed_scan", None)
    form = AgreementEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("lock_version")
        if not data.get("signed_scan"):
            data.pop("signed_scan", None)  # no new file: keep the stored one
        try:
            services.agreement_update(
                actor=actor_of(request), agreement=agreement, expected_lock_version=expected, **data
            )
        except (ValidationError, ApplicationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "تغییرات ذخیره شد.")
            return redirect(agreement.get_absolute_url())
    # A scan over the size limit answers 413 here as in the API.
    code = 413 if form.has_error("signed_scan", code="too_large") else 200
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "agreement": agreement},
        status=code,
    )


@login_required
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not selectors.user_can_edit(user=request.user, agreement=agreement):
        return forbidden(request, NOT_OWNER_STAFF)
    current = selectors.agreement_current_version(user=request.user, agreement=agreement)
    form = VersionForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_version_create(
                actor=actor_of(request), agreement=agreement, **form.cleaned_data
            )
        except (ValidationError, ApplicationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"نسخه {version.number} ثبت شد.")
            return redirect(agreement.get_absolute_url())
    return render(
        request,
        "agreements/agreementversion_form.html",
        {"form": form, "agreement": agreement, "current": current},
    )


@login_required
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    versions = list(selectors.agreement_versions(user=request.user, agreement=agreement))
    numbers = [v.number for v in versions]
    default_to = numbers[0] if numbers else None
    default_from = numbers[1] if len(numbers) > 1 else default_to
    from_n = request.GET.get("from") or default_from
    to_n = request.GET.get("to") or default_to
    diff = None
    error = ""
    if from_n and to_n:
        try:
            diff = selectors.agreement_diff(
                user=request.user, agreement=agreement, from_number=from_n, to_number=to_n
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if diff is not None:
        diff = {**diff, "segments": _spaced_segments(diff["segments"])}
    return render(
        request,
        "agreements/agreement_compare.html",
        {
            "agreement": agreement,
            "versions": versions,
            "from_n": str(from_n or ""),
            "to_n": str(to_n or ""),
            "diff": diff,
            "error": error,
        },
    )


def _spaced_segments(segments: list[Any]) -> list[dict[str, Any]]:
    """The diff's segments, each with ``gap``: a deleted word followed directly by an
    inserted one (or the reverse) would read as one word («رشدجهش») — the page puts a space
    between them."""
    rows: list[dict[str, Any]] = []
    for segment in segments:
        previous = rows[-1] if rows else None
        changed = {"insert", "delete"}
        gap = (
            previous is not None
            and {previous["op"], segment["op"]} == changed
            and not previous["text"][-1:].isspace()
            and not segment["text"][:1].isspace()
        )
        rows.append({**segment, "gap": gap})
    return rows


@login_required
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "وضعیت مقصد شناخته نیست.")
        return redirect(agreement.get_absolute_url())
    return post_action(
        request,
        run=lambda: services.agreement_transition(
            actor=actor_of(request),
            agreement=agreement,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        ),
        done=lambda moved: f"وضعیت به «{moved.get_status_display()}» تغییر کرد.",
        target=agreement.get_absolute_url(),
    )


@login_required
@require_POST
def agreement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    form = ApprovalForm(request.POST)
    party = None
    if form.is_valid():
        party = next(
            (
                p
                for p in agreement.parties.all()
                if p.organization_id == form.cleaned_data["organization"]
            ),
            None,
        )
    if party is None:
        messages.error(request, "این سازمان طرف این تفاهم‌نامه نیست.")
        return redirect(agreement.get_absolute_url())
    organization = party.organization
    return post_action(
        request,
        run=lambda: services.agreement_approve(
            actor=actor_of(request),
            agreement=agreement,
            organization=organization,
            note=form.cleaned_data.get("note", ""),
        ),
        done=f"تأیید «{organization.name}» ثبت شد.",
        target=agreement.get_absolute_url(),
    )


@login_required
@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not selectors.user_can_edit(user=request.user, agreement=agreement):
        # Before the form: a viewer's POST is refused whatever it holds.
        return forbidden(request, NOT_OWNER_STAFF)
    form = PartyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "سازمان و نقش طرف را برگزینید.")
        return redirect(agreement.get_absolute_url())
    return post_action(
        request,
        run=lambda: services.agreement_party_add(
            actor=actor_of(request), agreement=agreement, **form.cleaned_data
        ),
        done="طرف تازه افزوده شد.",
        target=agreement.get_absolute_url(),
    )


@login_required
def signed_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The signed scan of an agreement the user may see (404 otherwise, or without a scan):
    never a public /media/ address."""
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not agreement.signed_scan:
        raise Http404("این تفاهم‌نامه نسخه اسکن‌شده ندارد.")
    try:
        handle = agreement.signed_scan.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("فایل نسخه اسکن‌شده پیدا نشد.") from exc
    name = PurePosixPath(agreement.signed_scan.name).name
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def agreement_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    current = selectors.agreement_current_version(user=request.user, agreement=agreement)
    if current is None:
        messages.error(request, "این تفاهم‌نامه هنوز متنی ندارد که خروجی گرفته شود.")
        return redirect(agreement.get_absolute_url())
    filename = f"agreement-{agreement.pk}-v{current.number}"
    if kind == "pdf":
        body = exports.agreement_pdf(agreement=agreement, version=current)
        content_type = "application/pdf"
    else:
        body = exports.agreement_docx(agreement=agreement, version=current)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response
