"""Pages of commitments: the cross-agreement list, one commitment, the form, and the
section on the agreement's page. Thin: selectors read, services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from agreements.models import Agreement
from agreements.selectors import agreement_get_for_user, tehran_today
from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden, post_action, query_without_page, refusal_messages

from . import chips, inputs, selectors, services
from .choices import OccurrenceStatus
from .filters import OccurrenceFilter
from .forms import CommitmentForm

PAGE_SIZE = 25


@login_required
def occurrence_list(request: HttpRequest) -> HttpResponse:
    filterset = OccurrenceFilter(
        request.GET or None,
        queryset=selectors.occurrence_list_for_user(user=request.user),
        request=request,
    )
    rows = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(rows.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    chips.hide_id_filters(filterset.form)
    return render(
        request,
        "commitments/occurrence_list.html",
        {
            "filter": filterset,
            "chips": chips.active_filters(request, filterset),
            "page": page,
            "query": query_without_page(request),
            "today": tehran_today(),
        },
    )


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_get_for_user(user=request.user, pk=pk)
    occurrences = list(
        selectors.occurrence_list_for_user(user=request.user)
        .filter(commitment=commitment)
        .order_by("number")
    )
    rows = [
        {"occurrence": o, "moves": selectors.moves_for_user(user=request.user, occurrence=o)}
        for o in occurrences
    ]
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "rows": rows,
            "today": tehran_today(),
            "can_manage": selectors.user_can_manage(
                user=request.user, agreement=commitment.agreement
            ),
        },
    )


def _form_page(
    request: HttpRequest,
    agreement: Agreement,
    form: CommitmentForm,
    commitment: Any = None,
    sources: dict[str, str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "commitments/commitment_form.html",
        {"agreement": agreement, "form": form, "commitment": commitment, "sources": sources or {}},
    )


def _save(request: HttpRequest, form: CommitmentForm, run: Any) -> Any:
    """Run the service; its refusals go onto the form (what was typed stays)."""
    try:
        return run(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


@login_required
def commitment_create(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = agreement_get_for_user(user=request.user, pk=agreement_pk)
    if not selectors.user_can_manage(user=request.user, agreement=agreement):
        return forbidden(request, "تعهد را کارشناس یا مدیر سازمان مالک تفاهم‌نامه ثبت می‌کند.")
    form = CommitmentForm(request.POST or None, agreement=agreement, user=request.user)
    source_ids = {
        name: (request.POST or request.GET).get(name, "")
        for name in ("source_decision", "source_action_item")
    }
    if request.method == "POST" and form.is_valid():
        user = actor_of(request)
        try:
            sources: dict[str, Any] = {
                "source_decision": inputs.resolve_decision(user, source_ids["source_decision"]),
                "source_action_item": inputs.resolve_action_item(
                    user, source_ids["source_action_item"]
                ),
            }
        except ValidationError as exc:
            for message in refusal_messages(exc):
                form.add_error(None, message)
        else:
            created = _save(
                request,
                form,
                lambda data: services.commitment_create(
                    actor=user, agreement=agreement, **data, **sources
                ),
            )
            if created is not None:
                messages.success(request, f"تعهد «{created.title}» ثبت شد.")
                return redirect("commitments:commitment_detail", pk=created.pk)
    return _form_page(request, agreement, form, sources=source_ids)


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_get_for_user(user=request.user, pk=pk)
    agreement = commitment.agreement
    if not selectors.user_can_manage(user=request.user, agreement=agreement):
        return forbidden(request, "تعهد را کارشناس یا مدیر سازمان مالک تفاهم‌نامه ویرایش می‌کند.")
    initial = {
        name: getattr(commitment, name)
        for name in ("party", "clause", "title", "description", "due_date", "recurrence")
    } | {"repeat_until": commitment.repeat_until, "responsible": commitment.responsible}
    form = CommitmentForm(
        request.POST or None, initial=initial, agreement=agreement, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        updated = _save(
            request,
            form,
            lambda data: services.commitment_update(
                actor=actor_of(request), commitment=commitment, **data
            ),
        )
        if updated is not None:
            messages.success(request, "تعهد ویرایش شد.")
            return redirect("commitments:commitment_detail", pk=commitment.pk)
    return _form_page(request, agreement, form, commitment)


_MOVES: dict[str, tuple[Callable[..., Any], str, str]] = {
    OccurrenceStatus.DONE: (services.occurrence_complete, "evidence_note", "انجام تعهد ثبت شد."),
    OccurrenceStatus.WAIVED: (services.occurrence_waive, "reason", "تعهد بخشوده شد."),
    OccurrenceStatus.OPEN: (services.occurrence_reopen, "reason", "نوبت تعهد دوباره باز شد."),
}


@login_required
@require_POST
def occurrence_move(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(user=request.user, pk=pk)
    target = reverse("commitments:commitment_detail", args=[occurrence.commitment_id])
    to = request.POST.get("to", "")
    if to not in _MOVES:
        messages.error(request, "این تغییر وضعیت شناخته نیست.")
        return redirect(target)
    service, field, done = _MOVES[to]
    note = request.POST.get("note", "")
    if len(note) > 4000:
        messages.error(request, "توضیح باید حداکثر ۴۰۰۰ نویسه باشد.")
        return redirect(target)
    kwargs: dict[str, Any] = {field: note}
    files = request.FILES.getlist("files") if to == OccurrenceStatus.DONE else []
    if files:
        kwargs["files"] = files
    return post_action(
        request,
        run=lambda: service(actor=actor_of(request), occurrence=occurrence, **kwargs),
        done=done,
        target=target,
    )


@login_required
@require_POST
def commitment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_get_for_user(user=request.user, pk=pk)
    agreement_url = commitment.agreement.get_absolute_url()
    try:
        services.commitment_delete(actor=actor_of(request), commitment=commitment)
    except ApplicationError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
        return redirect("commitments:commitment_detail", pk=pk)
    except ValidationError as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
        return redirect("commitments:commitment_detail", pk=pk)
    messages.success(request, "تعهد حذف شد.")
    return redirect(agreement_url + "#commitments")


def agreement_section(*, user: Any, agreement: Agreement) -> dict[str, Any]:
    """The commitments table and the fulfilment per party on the agreement's page
    (registered with the agreements app's page in ``ready()``)."""
    today = tehran_today()
    occurrences = list(
        selectors.occurrence_list_for_user(user=user)
        .filter(commitment__agreement=agreement)
        .order_by("due_date", "id")[:200]
    )
    return {
        "template": "commitments/_agreement_section.html",
        "agreement": agreement,
        "occurrences": occurrences,
        "fulfilment": selectors.fulfilment_by_party(agreement=agreement, today=today),
        "can_manage": selectors.user_can_manage(user=user, agreement=agreement),
        "today": today,
    }
