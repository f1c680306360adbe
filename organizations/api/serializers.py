"""API serializers of organisations and people."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tracker import limits
from tracker.api.serializers import StrictInputSerializer

from ..choices import OrganizationKind
from ..models import Organization, Person


class OrganizationOutputSerializer(serializers.ModelSerializer):
    """The directory row. ``to_representation`` builds the row directly (the fields below
    document it): the directory is read on every picker, and DRF's per-field machinery
    (attribute walking, ``get_kind_display`` signature inspection) cost more than the
    query."""

    kind_display = serializers.CharField(read_only=True)
    parent_name = serializers.CharField(
        source="parent.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Organization
        fields = (
            "id",
            "name",
            "kind",
            "kind_display",
            "province",
            "county",
            "city",
            "parent",
            "parent_name",
            "is_active",
        )
        read_only_fields = fields

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        parent = instance.parent if instance.parent_id is not None else None
        return {
            "id": instance.pk,
            "name": instance.name,
            "kind": instance.kind,
            "kind_display": str(_KIND_LABELS.get(instance.kind, instance.kind)),
            "province": instance.province,
            "county": instance.county,
            "city": instance.city,
            "parent": instance.parent_id,
            "parent_name": parent.name if parent is not None else None,
            "is_active": instance.is_active,
        }


_KIND_LABELS: dict[str, Any] = dict(OrganizationKind.choices)


class OrganizationInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    province = serializers.CharField(max_length=100, required=False, allow_blank=True)
    county = serializers.CharField(max_length=100, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    # "parent" and "read_only" shadow attributes of DRF's Field in the stubs only: the
    # serializer metaclass moves declared fields off the class, so they do not clash.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class PersonOutputSerializer(serializers.ModelSerializer):
    """A person row, built directly in ``to_representation`` (the fields document it)."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    # Optional: "" when unknown, so not documented as an e-mail format.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "full_name",
            "position_title",
            "organization",
            "organization_name",
            "phone",
            "email",
            "user",
        )
        read_only_fields = fields

    def to_representation(self, instance: Person) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "full_name": instance.full_name,
            "position_title": instance.position_title,
            "organization": instance.organization_id,
            "organization_name": instance.organization.name,
            "phone": instance.phone,
            "email": instance.email,
            # The linked login's id (null: none; reminders reach only linked people).
            "user": instance.user_id,
        }


class PersonInputSerializer(StrictInputSerializer):
    full_name = serializers.CharField(max_length=200)
    position_title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class PersonLinkUserInputSerializer(StrictInputSerializer):
    """``username`` of the login to link, or null to unlink."""

    username = serializers.CharField(max_length=limits.USERNAME, allow_null=True)


class TokenLoginSerializer(StrictInputSerializer):
    username = serializers.CharField(max_length=limits.USERNAME)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=limits.PASSWORD
    )
    name = serializers.CharField(required=False, max_length=100, default="ورود API")
    read_only = serializers.BooleanField(required=False, default=False)  # type: ignore[assignment]


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    name = serializers.CharField()
    read_only = serializers.BooleanField()  # type: ignore[assignment]
    expires_at = serializers.DateTimeField()
