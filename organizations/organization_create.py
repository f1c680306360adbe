"""«سازمان تازه»: the page at /organizations/new/ and the same endpoint answering JSON for
the meeting form's dialog (static/js/meeting-form-widgets.js), so a counterpart missing
from the directory is added without leaving the form. ``services.organization_create``
decides who may (staff of some organisation; a child needs the admin role in its parent).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden
from tracker.text import to_persian_digits

from . import services
from .choices import Role
from .forms import OrganizationForm
from .models import Organization
from .scoping import org_scope_for_user

NO_STAFF_ROLE = (
    "برای ثبت سازمان باید دست‌کم در یک سازمان نقش «کارشناس» یا بالاتر داشته باشید؛ "
    "اکنون فقط می‌توانید سازمان‌ها را ببینید."
)


def may_create_organizations(user: Any) -> bool:
    """The role ``services.organization_create`` asks for: staff in some organisation."""
    scope = org_scope_for_user(user)
    return scope.everything or bool(scope.ids_with_role(Role.STAFF))


def parent_choices(user: Any) -> Any:
    scope = org_scope_for_user(user)
    parents = Organization.objects.filter(is_active=True).order_by("name", "id")
    if scope.everything:
        return parents
    return parents.filter(pk__in=sorted(scope.ids_with_role(Role.ADMIN)))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _errors(form: OrganizationForm) -> dict[str, list[str]]:
    return {
        field: [to_persian_digits(str(m)) for m in messages_]
        for field, messages_ in form.errors.items()
    }


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not may_create_organizations(request.user):
        if _wants_json(request):
            return JsonResponse({"detail": NO_STAFF_ROLE}, status=403)
        return forbidden(request, NO_STAFF_ROLE)
    # ids of its own (org_name, ...): the dialog sits on the meeting form, which has id_kind.
    form = OrganizationForm(
        request.POST or None, parents=parent_choices(request.user), auto_id="org_%s"
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=actor_of(request), **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if _wants_json(request):
                return JsonResponse({"id": organization.pk, "name": organization.name}, status=201)
            messages.success(request, f"سازمان «{organization.name}» ثبت شد.")
            return redirect(organization.get_absolute_url())
    if request.method == "POST" and _wants_json(request):
        return JsonResponse({"errors": _errors(form)}, status=400)
    template = (
        "organizations/_organization_fields.html"
        if request.GET.get("fragment")
        else "organizations/organization_form.html"
    )
    return render(
        request, template, {"form": form}, status=400 if request.method == "POST" else 200
    )
