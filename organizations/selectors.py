"""Reads of organisations and people, always through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tracker.search import indexed_search

from .models import Organization, Person
from .scoping import org_scope_for_user, scope_queryset


def organization_list_for_user(*, user: Any, search: str = "") -> QuerySet[Organization]:
    """The organisation directory.

    Every signed-in member reads the directory of organisations (names, kinds and places
    of public bodies), because logging a meeting with a counterpart means picking it.
    Everything an organisation owns (people, meetings, agreements) stays scoped.
    """
    qs = Organization.objects.select_related("parent")
    if not user.is_authenticated:
        return qs.none()
    if not user.is_superuser and not org_scope_for_user(user).ids:
        return qs.none()
    return indexed_search(qs, search)  # name, city, county


def organization_get_for_user(*, user: Any, pk: int) -> Organization:
    return organization_list_for_user(user=user).get(pk=pk)


def organization_ids_writable_by(*, user: Any, minimum: str) -> frozenset[int] | None:
    """Ids where the user holds ``minimum`` (``None`` for a superuser: all)."""
    scope = org_scope_for_user(user)
    return None if scope.everything else scope.ids_with_role(minimum)


def person_list_for_user(*, user: Any, search: str = "") -> QuerySet[Person]:
    """People of the user's organisations, and those their staff registered."""
    qs = scope_queryset(
        Person.objects.select_related("organization"),
        user,
        "organization",
        "registered_by_organization",
    )
    return indexed_search(qs, search)  # name, title, organisation name


def person_get_for_user(*, user: Any, pk: int) -> Person:
    return person_list_for_user(user=user).get(pk=pk)


def organizations_visible_q(user: Any) -> Q:
    """Q over Organization limited to the user's scope (for pickers of owned things)."""
    scope = org_scope_for_user(user)
    return Q() if scope.everything else Q(pk__anyof=scope.id_list)


def user_display_name(user: Any) -> str:
    """How a login user is named to people: the full name, else the login name."""
    return user.get_full_name() or user.get_username()


def person_name_for_user(user: Any) -> str:
    """How a signed-in user is greeted: the linked person's name, else the user's full
    name, else the login name (one query)."""
    name = Person.objects.filter(user_id=user.pk).values_list("full_name", flat=True).first()
    return (name or "").strip() or user_display_name(user)
