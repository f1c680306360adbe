"""Organisations and people: through ``organization_create``/``_update`` and
``person_create``/``_update``, as the directory's forms."""

from __future__ import annotations

from typing import Any

from organizations import services
from organizations.choices import OrganizationKind
from organizations.selectors import organization_list_for_user, person_list_for_user
from tracker.text import normalize

from .base import Context, Row, boolean, choice_cols, organization_cols, simple
from .kind import Kind


class OrganizationKindImport(Kind):
    name = "organizations"
    sheet_titles = ("سازمان‌ها",)
    columns = [
        simple("name", "نام"),
        *choice_cols("kind", "نوع", OrganizationKind),
        simple("province", "استان"),
        simple("county", "شهرستان"),
        simple("city", "شهر"),
        *organization_cols("parent", "شناسه سازمان بالادست", "سازمان بالادست"),
        simple("is_active", "فعال", boolean),
    ]
    required = ("name", "kind")

    def get(self, context: Context, pk: int) -> Any:
        return organization_list_for_user(user=context.actor).filter(pk=pk).first()

    def match(self, context: Context, values: dict[str, Any]) -> Any:
        """The organisation of that name (any spelling) under the same parent."""
        name = values.get("name")
        if not name:
            return None
        parent = values.get("parent")
        found = [
            o
            for o in context.organizations_named(name)
            if o.parent_id == (parent.pk if parent else None)
        ]
        return found[0] if len(found) == 1 else None

    def current(self, obj: Any) -> dict[str, Any]:
        return {
            "name": obj.name,
            "kind": obj.kind,
            "province": obj.province,
            "county": obj.county,
            "city": obj.city,
            "parent": obj.parent,
            "is_active": obj.is_active,
        }

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        fields = dict(values)
        if fields.get("is_active") is None:
            fields.pop("is_active", None)
        return fields

    def one_step(self, fields: dict[str, Any], *, creating: bool) -> bool:
        return True  # one service, create or update

    def create(self, context: Context, row: Row, values: dict[str, Any]) -> Any:
        organization = services.organization_create(actor=context.actor, **self._fields(values))
        context.organization_changed(organization)
        return organization

    def update(
        self, context: Context, row: Row, obj: Any, changes: dict[str, Any], current: dict[str, Any]
    ) -> Any:
        organization = services.organization_update(
            actor=context.actor, organization=obj, **self._fields(changes)
        )
        context.organization_changed(organization)
        return organization


class PersonKindImport(Kind):
    name = "people"
    sheet_titles = ("اشخاص",)
    columns = [
        simple("full_name", "نام و نام خانوادگی"),
        simple("position_title", "سمت"),
        *organization_cols("organization", "شناسه سازمان", "سازمان"),
        simple("phone", "تلفن"),
        simple("email", "رایانامه"),
    ]
    required = ("full_name", "organization")

    def get(self, context: Context, pk: int) -> Any:
        return person_list_for_user(user=context.actor).filter(pk=pk).first()

    def match(self, context: Context, values: dict[str, Any]) -> Any:
        """The person of that name (any spelling) in the same organisation."""
        name, organization = values.get("full_name"), values.get("organization")
        if not name or organization is None:
            return None
        found = (
            person_list_for_user(user=context.actor)
            .filter(name_key=normalize(" ".join(name.split())), organization=organization)
            .order_by("id")[:2]
        )
        return found[0] if len(found) == 1 else None

    def current(self, obj: Any) -> dict[str, Any]:
        return {
            "full_name": obj.full_name,
            "position_title": obj.position_title,
            "organization": obj.organization,
            "phone": obj.phone,
            "email": obj.email,
        }

    def one_step(self, fields: dict[str, Any], *, creating: bool) -> bool:
        return True  # one service, create or update

    def create(self, context: Context, row: Row, values: dict[str, Any]) -> Any:
        person = services.person_create(actor=context.actor, **values)
        context.person_changed()
        return person

    def update(
        self, context: Context, row: Row, obj: Any, changes: dict[str, Any], current: dict[str, Any]
    ) -> Any:
        person = services.person_update(actor=context.actor, person=obj, **changes)
        context.person_changed()
        return person
