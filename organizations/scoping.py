"""Who sees what: the one scoping helper every selector in every app uses.

A membership covers its organisation and all of its descendants. A superuser sees
everything. Roles add rights, never visibility.

The scope is computed once per user object (two queries: the user's memberships, then the
subtrees under them, read recursively by the database) and cached on it, so a request pays
for it once however many selectors it calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils.functional import cached_property

from tracker.exceptions import PermissionDeniedError
from tracker.lookups import IdList

from .choices import ROLE_RANK, Role
from .models import Membership, Organization

_CACHE_ATTR = "_tracker_org_scope"
M = TypeVar("M", bound=Model)


class OrgScope:
    """The organisations a user may see, with the user's best role in each."""

    def __init__(
        self,
        roles: dict[int, str],
        *,
        everything: bool = False,
        member_of: Iterable[int] = (),
    ) -> None:
        self.roles = roles
        self.everything = everything
        #: The organisations of the user's memberships (the roots of ``roles``).
        self.member_of = tuple(sorted(member_of))

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    @cached_property
    def id_list(self) -> IdList:
        """The ids for ``__anyof`` filters, sorted, built once per scope (per request)."""
        return IdList(sorted(self.roles))

    def role_in(self, organization_id: int | None) -> str | None:
        if organization_id is None:
            return None
        if self.everything:
            return Role.ADMIN
        return self.roles.get(organization_id)

    def has_role(self, organization_id: int | None, minimum: str) -> bool:
        role = self.role_in(organization_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]

    def ids_with_role(self, minimum: str) -> frozenset[int]:
        return frozenset(
            org_id for org_id, role in self.roles.items() if ROLE_RANK[role] >= ROLE_RANK[minimum]
        )


def _covered(roots: Iterable[int]) -> list[tuple[int, int]]:
    """``(organisation, root)`` for every organisation in the subtree of each root, the root
    included: one recursive query that reads only the covered subtrees (not the whole
    organisation table). ``UNION`` drops repeated pairs, so even a cycle in ``parent`` ends."""
    roots = sorted(set(roots))
    table = connection.ops.quote_name(Organization._meta.db_table)
    marks = ", ".join(["%s"] * len(roots))
    sql = f"""
        WITH RECURSIVE covered(id, root) AS (
            SELECT id, id FROM {table} WHERE id IN ({marks})
            UNION
            SELECT o.id, c.root FROM {table} o JOIN covered c ON o.parent_id = c.id
        )
        SELECT id, root FROM covered
    """  # noqa: S608  (a table name of ours; the ids are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return [(int(org_id), int(root)) for org_id, root in cursor.fetchall()]


def org_scope_for_user(user: Any) -> OrgScope:
    """The user's scope (cached on the user object for the rest of the request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        scope = OrgScope({})
    elif user.is_superuser:
        scope = OrgScope({}, everything=True)
    else:
        memberships = list(
            Membership.objects.filter(user=user).values_list("organization_id", "role")
        )
        roles: dict[int, str] = {}
        if memberships:
            best: dict[int, str] = {}
            for org_id, role in memberships:
                if org_id not in best or ROLE_RANK[role] > ROLE_RANK[best[org_id]]:
                    best[org_id] = role
            for covered, root in _covered(best):
                role = best[root]
                if covered not in roles or ROLE_RANK[role] > ROLE_RANK[roles[covered]]:
                    roles[covered] = role
        scope = OrgScope(roles, member_of=best if memberships else ())
    if user is not None:
        setattr(user, _CACHE_ATTR, scope)
    return scope


def user_organization_ids(user: Any, *, may_query: bool = False) -> list[int] | None:
    """The organisations ``user`` is a member of, for the log lines (tracker/logging.py).

    From the scope the request already computed (no query); otherwise, only if
    ``may_query``, one query of the memberships; else None (not known). A superuser's scope
    is everything: then the memberships they also have, if any, by the same query.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached: OrgScope | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None and not cached.everything:
        return list(cached.member_of)
    if not may_query:
        return None
    return sorted(
        set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    )


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after memberships of the user changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_q(user: Any, *paths: str) -> Q | None:
    """A Q that keeps rows whose organisation (at any of ``paths``) is in the user's scope.

    ``None`` means "no filter" (a superuser). Paths end at an organisation foreign key,
    e.g. ``"host"``, ``"participants"``, ``"attendances__organization"``. The scope's ids
    travel as one array parameter (``__anyof``), however many organisations it holds.
    """
    scope = org_scope_for_user(user)
    if scope.everything:
        return None
    ids = scope.id_list
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{path}__anyof": ids})
    return q


def scope_queryset(queryset: QuerySet[M], user: Any, *paths: str) -> QuerySet[M]:
    """Filter ``queryset`` to rows visible to ``user`` through any of ``paths``.

    A path that crosses a to-many relation is tested with a subquery on primary keys, so
    the result never holds duplicate rows and stays sortable and countable. (Written as
    ``pk IN (SELECT …)`` rather than ``OR EXISTS``: PostgreSQL turns an ``EXISTS`` under an
    ``OR`` into a hashed subplan that reads the whole relation first, which a first page
    ordered by an index must not pay; the ``IN`` form is probed row by row.)
    """
    q = scope_q(user, *paths)
    if q is None:
        return queryset
    if any("__" in path or _is_many(queryset.model, path) for path in paths):
        visible = queryset.model._default_manager.filter(q).values("pk")
        return queryset.filter(pk__in=visible)
    return queryset.filter(q)


def _is_many(model: type[Model], path: str) -> bool:
    field = model._meta.get_field(path)
    return bool(field.many_to_many or field.one_to_many)


def require_role(user: Any, organization: Organization | int | None, minimum: str) -> None:
    """Raise ``PermissionDeniedError`` unless the user holds ``minimum`` in the organisation."""
    org_id = organization.pk if isinstance(organization, Organization) else organization
    if not org_scope_for_user(user).has_role(org_id, minimum):
        label = Role(minimum).label
        raise PermissionDeniedError(
            f"برای این کار باید در این سازمان دست‌کم نقش «{label}» داشته باشید."
        )
