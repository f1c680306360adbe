"""Pages of the organisation directory and of people. Selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden, query_without_page
from tracker.paging import list_page
from tracker.search import ranked

from . import selectors, services
from .choices import Role
from .filters import OrganizationFilter, PersonFilter
from .forms import PersonForm
from .models import Organization, Person
from .scoping import org_scope_for_user

PAGE_SIZE = 25
NO_STAFF_ROLE = (
    "برای ثبت شخص باید دست‌کم در یک سازمان نقش «کارشناس» یا بالاتر داشته باشید؛ "
    "اکنون فقط می‌توانید اشخاص را ببینید."
)
NOT_PERSON_STAFF = (
    "ویرایش این شخص با کارشناسان سازمان او یا سازمانی است که او را ثبت کرده است؛ "
    "شما فقط می‌توانید او را ببینید."
)


def _may_register_people(user: Any) -> bool:
    """The role ``services.person_create`` asks for: staff in some organisation."""
    scope = org_scope_for_user(user)
    return scope.everything or bool(scope.ids_with_role(Role.STAFF))


def _may_edit_person(user: Any, person: Person) -> bool:
    """The roles ``services.person_update`` accepts: staff of the person's organisation or
    of the organisation that registered them."""
    scope = org_scope_for_user(user)
    return scope.has_role(person.organization_id, Role.STAFF) or scope.has_role(
        person.registered_by_organization_id, Role.STAFF
    )


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganizationFilter(
        request.GET, queryset=selectors.organization_list_for_user(user=request.user)
    )
    page = list_page(ranked(filterset.qs, "name", "id"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "organizations/organization_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": _may_register_people(request.user),  # the same staff role
        },
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organization = selectors.organization_get_for_user(user=request.user, pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc
    people = selectors.person_list_for_user(user=request.user).filter(organization=organization)
    return render(
        request,
        "organizations/organization_detail.html",
        {"organization": organization, "people": list(people[:200])},
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    filterset = PersonFilter(
        request.GET, queryset=selectors.person_list_for_user(user=request.user)
    )
    page = list_page(ranked(filterset.qs, "full_name", "id"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "organizations/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_register": _may_register_people(request.user),
            # The rows whose «ویرایش» link the user may follow (the scope is cached).
            "editable": {p.pk for p in page if _may_edit_person(request.user, p)},
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person: Person | None = None
    if pk is not None:
        try:
            person = selectors.person_get_for_user(user=request.user, pk=pk)
        except Person.DoesNotExist as exc:
            raise Http404 from exc
        if not _may_edit_person(request.user, person):
            return forbidden(request, NOT_PERSON_STAFF)
    elif not _may_register_people(request.user):
        return forbidden(request, NO_STAFF_ROLE)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                services.person_create(actor=actor_of(request), **form.cleaned_data)
            else:
                services.person_update(actor=actor_of(request), person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "اطلاعات شخص ذخیره شد.")
            return redirect("organizations:person_list")
    return render(request, "organizations/person_form.html", {"form": form, "person": person})
