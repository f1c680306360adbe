"""API serializers of the dashboard app: tokens and the aggregates."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import ApiToken
from tracker.api.serializers import StrictInputSerializer
from tracker.jalali import JalaliDateTimeSerializerField, JalaliTwinField


class ApiTokenOutputSerializer(serializers.ModelSerializer):
    created_at_jalali = JalaliTwinField(source="created_at")
    expires_at_jalali = JalaliTwinField(source="expires_at")
    last_used_at_jalali = JalaliTwinField(source="last_used_at")
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields: tuple[str, ...] = (
            "id",
            "name",
            "prefix",
            "read_only",
            "created_at",
            "created_at_jalali",
            "expires_at",
            "expires_at_jalali",
            "last_used_at",
            "last_used_at_jalali",
            "revoked_at",
            "is_active",
        )
        read_only_fields: tuple[str, ...] = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_active(self, token: ApiToken) -> bool:
        """Neither revoked nor expired."""
        if token.revoked_at is not None:
            return False
        return token.expires_at is None or token.expires_at > timezone.now()


class ApiTokenCreatedSerializer(ApiTokenOutputSerializer):
    key = serializers.CharField(help_text="The plain key; shown in this answer only.")

    class Meta(ApiTokenOutputSerializer.Meta):
        fields = (*ApiTokenOutputSerializer.Meta.fields, "key")
        read_only_fields = fields


class ApiTokenInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    read_only = serializers.BooleanField(required=False, default=True)  # type: ignore[assignment]
    expires_at = JalaliDateTimeSerializerField(
        required=False,
        allow_null=True,
        help_text="ISO 8601 or Jalali (Tehran time); default 90 days from now.",
    )
