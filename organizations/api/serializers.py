"""API serializers of organisations and people."""

from __future__ import annotations

from rest_framework import serializers

from tracker.api.serializers import StrictInputSerializer

from ..choices import OrganizationKind
from ..models import Organization, Person


class OrganizationOutputSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
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
        )
        read_only_fields = fields


class PersonInputSerializer(StrictInputSerializer):
    full_name = serializers.CharField(max_length=200)
    position_title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class TokenLoginSerializer(StrictInputSerializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(required=False, max_length=100, default="ورود API")
    read_only = serializers.BooleanField(required=False, default=False)  # type: ignore[assignment]


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    name = serializers.CharField()
    read_only = serializers.BooleanField()  # type: ignore[assignment]
    expires_at = serializers.DateTimeField()
