"""API serializers of the inbox: in-app messages, the unread count and the preferences."""

from __future__ import annotations

from datetime import time
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.api.serializers import StrictInputSerializer
from tracker.jalali import JalaliTwinField
from tracker.text import to_latin_digits

from ..choices import DeliveryMode, RuleCode
from ..models import Delivery, NotificationPreference
from ..services import PREFERENCE_FIELDS

# --- Output ------------------------------------------------------------------------------------


class NotificationOutputSerializer(serializers.ModelSerializer):
    """One in-app message: what the inbox page shows (title, text, link, time, read or not)."""

    title = serializers.CharField(source="reminder.title", read_only=True)
    body = serializers.CharField(source="reminder.body", read_only=True)
    url = serializers.SerializerMethodField()
    rule = serializers.ChoiceField(source="reminder.rule", choices=RuleCode.choices, read_only=True)
    rule_display = serializers.CharField(source="reminder.get_rule_display", read_only=True)
    kind = serializers.CharField(source="reminder.kind", read_only=True)
    anchor_at = serializers.DateTimeField(source="reminder.anchor_at", read_only=True)
    anchor_at_jalali = JalaliTwinField(source="reminder.anchor_at")
    sent_at_jalali = JalaliTwinField(source="sent_at")
    read_at_jalali = JalaliTwinField(source="read_at")
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = (
            "id",
            "title",
            "body",
            "url",
            "rule",
            "rule_display",
            "kind",
            "anchor_at",
            "anchor_at_jalali",
            "sent_at",
            "sent_at_jalali",
            "read_at",
            "read_at_jalali",
            "is_read",
        )
        read_only_fields = fields

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text="The page the message is about, relative to the site (as the inbox "
            "page links it); null when there is none.",
        )
    )
    def get_url(self, delivery: Delivery) -> str | None:
        return delivery.reminder.url or None

    @extend_schema_field(serializers.BooleanField())
    def get_is_read(self, delivery: Delivery) -> bool:
        return delivery.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField(help_text="Unread in-app messages of the user.")


class MarkReadOutputSerializer(UnreadCountSerializer):
    marked = serializers.IntegerField(
        help_text="Messages this request marked read (0 when they were read already)."
    )


@extend_schema_field(
    {
        "type": "string",
        "example": "22:00",
        "description": "Tehran wall-clock time, HH:MM (Persian or Latin digits on input).",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A Tehran wall-clock time: «22:00» out; «۲۲:۰۰», «22:00» or «22:00:00» in (seconds are
    dropped: quiet hours are minute-grained). Documented as a plain string, not OpenAPI's
    ``format: time``, which is RFC 3339's time with an offset that these times do not have."""

    default_error_messages = {
        "invalid": "ساعت معتبر نیست؛ به شکل ۲۲:۰۰ (ساعت:دقیقه) بفرستید.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> time:
        if isinstance(value, str):
            value = to_latin_digits(value).strip()
        parsed = super().to_internal_value(value)
        return parsed.replace(second=0, microsecond=0)


class PreferenceOutputSerializer(serializers.ModelSerializer):
    quiet_start = WallClockTimeField(read_only=True, allow_null=True)
    quiet_end = WallClockTimeField(read_only=True, allow_null=True)
    # Null until the preferences are first saved (the defaults are not a row).
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    updated_at_jalali = JalaliTwinField(source="updated_at")

    class Meta:
        model = NotificationPreference
        fields = (*PREFERENCE_FIELDS, "mode_display", "updated_at", "updated_at_jalali")
        read_only_fields = fields


# --- Input -------------------------------------------------------------------------------------


class PreferenceInputSerializer(StrictInputSerializer):
    """The fields of the preferences form of the inbox page; send only those to change."""

    in_app = serializers.BooleanField(required=False, help_text="Receive in the inbox.")
    email = serializers.BooleanField(required=False, help_text="Receive by e-mail.")
    sms = serializers.BooleanField(required=False, help_text="Receive by SMS (needs phone).")
    phone = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Mobile number for SMS.",
    )
    quiet_start = WallClockTimeField(
        required=False, allow_null=True, help_text="Start of quiet hours (Tehran), with quiet_end."
    )
    quiet_end = WallClockTimeField(
        required=False, allow_null=True, help_text="End of quiet hours (may wrap midnight)."
    )
    mode = serializers.ChoiceField(
        choices=DeliveryMode.choices,
        required=False,
        error_messages={
            "invalid_choice": "شیوه ارسال «{input}» شناخته نیست؛ شیوه‌های درست: "
            + "، ".join(DeliveryMode.values)
            + "."
        },
    )
    digest_hour = serializers.IntegerField(
        min_value=0,
        max_value=23,
        required=False,
        help_text="Hour of the daily digest (Tehran), 0-23.",
        error_messages={
            "min_value": "ساعت خلاصه روزانه باید بین ۰ و ۲۳ باشد.",
            "max_value": "ساعت خلاصه روزانه باید بین ۰ و ۲۳ باشد.",
        },
    )
