"""API serializers of agreements: separate input (strict, no logic) and output shapes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from attachments.files import check_scan
from organizations.models import Organization
from organizations.selectors import user_display_name
from tracker import limits
from tracker.api.fields import ChoiceLabelField, JalaliDateTwinField
from tracker.api.serializers import StrictInputSerializer
from tracker.jalali import jalali_string
from tracker.jalali.drf import JalaliDateSerializerField, JalaliTwinField

from ..choices import AgreementStatus, PartyRole
from ..models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)

KEY_DATES = (
    "review_deadline",
    "target_signing_date",
    "signed_date",
    "effective_date",
    "expiry_date",
)


# --- Output -----------------------------------------------------------------------------------


_DATETIME = serializers.DateTimeField(read_only=True)
_DAY_TWIN = JalaliDateTwinField()
_STATUS_LABELS: dict[str, str] = {k: str(v) for k, v in AgreementStatus.choices}
_ROLE_LABELS: dict[str, str] = {k: str(v) for k, v in PartyRole.choices}


def _datetime(value: Any) -> Any:
    """A datetime as DRF writes it (current time zone, ISO 8601), None as None."""
    return None if value is None else _DATETIME.to_representation(value)


class PartyOutputSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role_display = ChoiceLabelField(model=AgreementParty, source="role")

    class Meta:
        model = AgreementParty
        fields = ("id", "organization", "organization_name", "role", "role_display")
        read_only_fields = fields


class AgreementOutputSerializer(serializers.ModelSerializer):
    owning_organization_name = serializers.CharField(
        source="owning_organization.name", read_only=True
    )
    status_display = ChoiceLabelField(model=Agreement, source="status")
    status_changed_at_jalali = JalaliTwinField(source="status_changed_at")
    review_deadline_jalali = JalaliDateTwinField(source="review_deadline")
    target_signing_date_jalali = JalaliDateTwinField(source="target_signing_date")
    signed_date_jalali = JalaliDateTwinField(source="signed_date")
    effective_date_jalali = JalaliDateTwinField(source="effective_date")
    expiry_date_jalali = JalaliDateTwinField(source="expiry_date")
    updated_at_jalali = JalaliTwinField(source="updated_at")
    parties = PartyOutputSerializer(many=True, read_only=True)
    current_version = serializers.SerializerMethodField()
    has_signed_scan = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = (
            "id",
            "reference_number",
            "title",
            "subject",
            "status",
            "status_display",
            "status_changed_at",
            "status_changed_at_jalali",
            "owning_organization",
            "owning_organization_name",
            "parties",
            "current_version",
            "review_deadline",
            "review_deadline_jalali",
            "target_signing_date",
            "target_signing_date_jalali",
            "signed_date",
            "signed_date_jalali",
            "effective_date",
            "effective_date_jalali",
            "expiry_date",
            "expiry_date_jalali",
            "notice_period_days",
            "has_signed_scan",
            "lock_version",
            "created_at",
            "updated_at",
            "updated_at_jalali",
        )
        read_only_fields = fields

    def to_representation(self, instance: Agreement) -> dict[str, Any]:
        """The row built directly (the declared fields document it; the output is DRF's,
        as ``test_agreement_rows_equal_drf_field_by_field`` checks): a list page of 50
        agreements spent more in DRF's per-field machinery than in its four queries."""
        a = instance
        row: dict[str, Any] = {
            "id": a.pk,
            "reference_number": a.reference_number,
            "title": a.title,
            "subject": a.subject,
            "status": a.status,
            "status_display": _STATUS_LABELS.get(a.status, a.status),
            "status_changed_at": _datetime(a.status_changed_at),
            "status_changed_at_jalali": jalali_string(a.status_changed_at),
            "owning_organization": a.owning_organization_id,
            "owning_organization_name": a.owning_organization.name,
            "parties": [
                {
                    "id": party.pk,
                    "organization": party.organization_id,
                    "organization_name": party.organization.name,
                    "role": party.role,
                    "role_display": _ROLE_LABELS.get(party.role, party.role),
                }
                for party in a.parties.all()
            ],
            "current_version": self.get_current_version(a),
        }
        for name in KEY_DATES:
            value = getattr(a, name)
            row[name] = None if value is None else value.isoformat()
            row[f"{name}_jalali"] = None if value is None else _DAY_TWIN.to_representation(value)
        row["notice_period_days"] = a.notice_period_days
        row["has_signed_scan"] = bool(a.signed_scan)
        row["lock_version"] = a.lock_version
        row["created_at"] = _datetime(a.created_at)
        row["updated_at"] = _datetime(a.updated_at)
        row["updated_at_jalali"] = jalali_string(a.updated_at)
        return row

    def get_current_version(self, obj: Agreement) -> int | None:
        # Prefetched by the selector as ``current_versions`` (one query for the page).
        current = getattr(obj, "current_versions", None)
        if current is None:
            current = list(obj.versions.filter(is_current=True))
        return current[0].number if current else None

    def get_has_signed_scan(self, obj: Agreement) -> bool:
        return bool(obj.signed_scan)


class VersionOutputSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    # None for a first version (no base).
    base_version_number = serializers.IntegerField(
        source="base_version.number", read_only=True, default=None, allow_null=True
    )
    created_at_jalali = JalaliTwinField(source="created_at")

    class Meta:
        model = AgreementVersion
        fields = (
            "number",
            "is_current",
            "text",
            "change_note",
            "base_version_number",
            "author_name",
            "created_at",
            "created_at_jalali",
        )
        read_only_fields = fields

    def get_author_name(self, obj: AgreementVersion) -> str | None:
        return user_display_name(obj.author) if obj.author_id else None


class ApprovalOutputSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="party.organization_id", read_only=True)
    organization_name = serializers.CharField(source="party.organization.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    approved_by_name = serializers.CharField(source="approved_by", read_only=True)
    approved_at_jalali = JalaliTwinField(source="approved_at")

    class Meta:
        model = AgreementApproval
        fields = (
            "id",
            "organization",
            "organization_name",
            "version",
            "approved_by_name",
            "approved_at",
            "approved_at_jalali",
            "note",
        )
        read_only_fields = fields


class StatusChangeOutputSerializer(serializers.ModelSerializer):
    # "" for the row that records the creation (there was no status before).
    from_status = serializers.ChoiceField(
        choices=AgreementStatus.choices, allow_blank=True, read_only=True
    )
    actor_name = serializers.CharField(source="actor_label", read_only=True)
    at_jalali = JalaliTwinField(source="at")

    class Meta:
        model = AgreementStatusChange
        fields = ("from_status", "to_status", "actor_name", "at", "at_jalali", "reason")
        read_only_fields = fields


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class FieldHistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    at_jalali = JalaliTwinField(source="at")
    user = serializers.CharField()
    type = serializers.CharField()
    fields = FieldChangeSerializer(many=True)  # type: ignore[assignment]
    reason = serializers.CharField(allow_blank=True)


class HistoryOutputSerializer(serializers.Serializer):
    status_changes = StatusChangeOutputSerializer(many=True)
    field_changes = FieldHistorySerializer(many=True)


class TransitionOutputSerializer(serializers.Serializer):
    to = serializers.CharField(source="transition.target")
    label = serializers.CharField(source="transition.label")  # type: ignore[assignment]
    minimum_role = serializers.CharField(source="transition.role")
    needs_reason = serializers.BooleanField(source="transition.needs_reason")
    allowed = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())


class DiffSegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField(trim_whitespace=False)


class DiffOutputSerializer(serializers.Serializer):
    agreement = serializers.IntegerField()
    from_ = serializers.IntegerField()
    to = serializers.IntegerField()
    inserted_words = serializers.IntegerField()
    deleted_words = serializers.IntegerField()
    segments = DiffSegmentSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # "from" is a Python keyword
        return fields


# --- Input ------------------------------------------------------------------------------------


def validate_scan(value: Any) -> Any:
    """The attachments' checks (type by content, matching name, ATTACHMENT_MAX_BYTES: its
    FileTooLarge is the handler's 413); a Django ValidationError becomes the field's 400."""
    try:
        return check_scan(value, field="signed_scan")
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict["signed_scan"]) from exc


class _AgreementFieldsInput(StrictInputSerializer):
    reference_number = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=255)
    subject = serializers.CharField(
        required=False, allow_blank=True, max_length=limits.AGREEMENT_SUBJECT
    )
    review_deadline = JalaliDateSerializerField(required=False, allow_null=True)
    target_signing_date = JalaliDateSerializerField(required=False, allow_null=True)
    signed_date = JalaliDateSerializerField(required=False, allow_null=True)
    effective_date = JalaliDateSerializerField(required=False, allow_null=True)
    expiry_date = JalaliDateSerializerField(required=False, allow_null=True)
    notice_period_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=3650
    )


class PartyInputSerializer(StrictInputSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    role = serializers.ChoiceField(choices=PartyRole.choices)


class PartyChangeInputSerializer(StrictInputSerializer):
    role = serializers.ChoiceField(
        choices=PartyRole.choices,
        error_messages={"invalid_choice": "نقش «{input}» برای طرف تفاهم‌نامه شناخته نیست."},
    )


class AgreementCreateInputSerializer(_AgreementFieldsInput):
    owning_organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    parties = PartyInputSerializer(many=True, required=False)
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=limits.AGREEMENT_TEXT
    )
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AgreementUpdateInputSerializer(_AgreementFieldsInput):
    """Editable fields; ``lock_version`` may stand in for an If-Match header."""

    signed_scan = serializers.FileField(required=False, validators=[validate_scan])
    lock_version = serializers.IntegerField(required=False, min_value=1)

    FIXED = {
        "status": "وضعیت فقط با گذارهای گردش کار (/transitions/) تغییر می‌کند.",
        "owning_organization": "سازمان مالک تفاهم‌نامه پس از ایجاد تغییر نمی‌کند.",
        "parties": "طرفین با /parties/ این تفاهم‌نامه افزوده، تغییر یا حذف می‌شوند.",
        "text": "متن تفاهم‌نامه تنها با افزودن نسخه تازه (/versions/) تغییر می‌کند.",
    }

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            fixed = {name: [msg] for name, msg in self.FIXED.items() if name in data}
            if fixed:
                raise serializers.ValidationError(fixed)
        return super().to_internal_value(data)


class VersionCreateInputSerializer(StrictInputSerializer):
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=limits.AGREEMENT_TEXT
    )
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    base_version = serializers.IntegerField(required=False, min_value=1)


class TransitionInputSerializer(StrictInputSerializer):
    to = serializers.ChoiceField(
        choices=AgreementStatus.choices,
        error_messages={"invalid_choice": "وضعیت «{input}» شناخته نیست."},
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ApprovalInputSerializer(StrictInputSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        error_messages={"does_not_exist": "سازمانی با شناسه {pk_value} وجود ندارد."},
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
