"""Serializers of the commitments API: plain input serializers, read-only output ones."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from agreements.selectors import tehran_today
from tracker.api.fields import ChoiceLabelField, JalaliDateTwinField
from tracker.api.serializers import StrictInputSerializer
from tracker.filters import MAX_ID
from tracker.jalali.drf import JalaliDateSerializerField, JalaliTwinField
from tracker.text import to_persian_digits

from ..choices import OccurrenceStatus, Recurrence
from ..models import Commitment, CommitmentOccurrence

_TEXT = 4000
# Ids take min_value=1, max_value=MAX_ID: a larger number is a Persian 400 naming the field.

#: Persian labels of the fields a plain serializer field would name in English (the
#: browsable API's forms and the schema's titles); model fields take their verbose_name.
LABELS: dict[str, str] = {
    "id": "شناسه",
    "occurrences": "نوبت‌ها",
    "agreement": "تفاهم‌نامه (شناسه)",
    "party": "طرف متعهد (شناسه طرف تفاهم‌نامه)",
    "clause": "بند / ماده",
    "title": "عنوان",
    "description": "شرح",
    "recurrence": "تکرار",
    "due_date": "مهلت",
    "repeat_until": "تکرار تا",
    "responsible": "مسئول (شناسه شخص)",
    "source_decision": "مصوبه مبنا (شناسه)",
    "source_action_item": "اقدام مبنا (شناسه)",
    "reason": "دلیل",
    "occurrence": "نوبت (شناسه)",
    "commitment_title": "عنوان تعهد",
    "agreement_reference": "شماره تفاهم‌نامه",
    "party_organization": "سازمان طرف متعهد (شناسه)",
    "party_name": "طرف متعهد",
    "responsible_name": "نام مسئول",
    "due_date_jalali": "مهلت (شمسی)",
    "repeat_until_jalali": "تکرار تا (شمسی)",
    "status_display": "وضعیت (عنوان)",
    "recurrence_display": "تکرار (عنوان)",
    "is_overdue": "معوق",
    "status_changed_at_jalali": "زمان تغییر وضعیت (شمسی)",
    "status_changed_by_name": "تغییردهنده وضعیت",
}

HELP: dict[str, str] = {
    "due_date": "تاریخ شمسی مانند ۱۴۰۳/۰۲/۰۱ (یا ISO)؛ برای تعهد تکرارشونده، نخستین مهلت.",
    "repeat_until": "خالی: تا تاریخ انقضای تفاهم‌نامه.",
    "recurrence": "none، monthly، quarterly یا yearly.",
}


class PersianLabelsMixin:
    """Fields declared without a label get their Persian one (and help text) from
    ``LABELS`` / ``HELP`` instead of DRF's English one made of the field name."""

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        for name, field in fields.items():
            if (field.label is None or name == "id") and name in LABELS:
                field.label = LABELS[name]
            if not field.help_text and name in HELP and not field.read_only:
                field.help_text = HELP[name]
        return fields


class CommitmentInputSerializer(PersianLabelsMixin, StrictInputSerializer):
    """Create: ``agreement`` (not on the nested route), ``party`` (an id of the agreement's
    parties), the schedule and the responsible person (an id, of the party's organisation)."""

    agreement = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    party = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    clause = serializers.CharField(required=False, allow_blank=True, max_length=64)
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, max_length=_TEXT)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, required=False)
    due_date = JalaliDateSerializerField()
    repeat_until = JalaliDateSerializerField(required=False, allow_null=True)
    responsible = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    source_decision = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    source_action_item = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )


class CommitmentUpdateInputSerializer(PersianLabelsMixin, StrictInputSerializer):
    party = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    clause = serializers.CharField(required=False, allow_blank=True, max_length=64)
    title = serializers.CharField(required=False, max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, max_length=_TEXT)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, required=False)
    due_date = JalaliDateSerializerField(required=False)
    repeat_until = JalaliDateSerializerField(required=False, allow_null=True)
    responsible = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )


#: Evidence files sent with «done» in one request (each is checked like an attachment).
MAX_EVIDENCE_FILES = 10


class CompleteInputSerializer(PersianLabelsMixin, StrictInputSerializer):
    """«Done»: the evidence note (``evidence_note``, or ``note`` in a multipart form) and,
    as ``multipart/form-data``, zero or more ``files``; every file is checked (type by its
    content, name, size: a Persian 400 / 413) before any is stored, in one transaction."""

    evidence_note = serializers.CharField(
        label="شرح انجام و مستندات", required=False, max_length=_TEXT
    )
    note = serializers.CharField(
        label="شرح انجام (نام دیگر evidence_note)",
        required=False,
        max_length=_TEXT,
        help_text="همان evidence_note؛ یکی از این دو لازم است.",
    )
    files = serializers.ListField(
        label="فایل‌های مستند",
        child=serializers.FileField(
            allow_empty_file=True,
            error_messages={
                "invalid": "فیلد files باید فایل باشد (multipart/form-data).",
                "no_name": "نام فایل فرستاده نشده است.",
            },
        ),
        required=False,
        max_length=MAX_EVIDENCE_FILES,
        error_messages={
            "max_length": f"حداکثر {to_persian_digits(str(MAX_EVIDENCE_FILES))} فایل در یک بار.",
        },
        help_text="صفر یا چند فایل (PDF، JPEG، PNG، WebP، DOCX، XLSX، ODT).",
    )
    # On /commitments/{id}/…: which occurrence (its id); default the earliest unfulfilled.
    occurrence = serializers.IntegerField(
        label="نوبت", required=False, min_value=1, max_value=MAX_ID
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        note = attrs.pop("note", None)
        if note and attrs.get("evidence_note") and note != attrs["evidence_note"]:
            raise serializers.ValidationError(
                {"note": ["note و evidence_note هر دو آمده‌اند و یکی نیستند؛ یکی را بفرستید."]}
            )
        if note and not attrs.get("evidence_note"):
            attrs["evidence_note"] = note
        if not attrs.get("evidence_note"):
            raise serializers.ValidationError(
                {"evidence_note": ["برای ثبت انجام، شرح انجام و مستندات (evidence_note) لازم است."]}
            )
        return attrs


class ReasonInputSerializer(PersianLabelsMixin, StrictInputSerializer):
    reason = serializers.CharField(max_length=_TEXT)
    occurrence = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class OccurrenceOutputSerializer(PersianLabelsMixin, serializers.ModelSerializer):
    commitment_title = serializers.CharField(source="commitment.title", read_only=True)
    clause = serializers.CharField(source="commitment.clause", read_only=True)
    agreement = serializers.IntegerField(source="commitment.agreement_id", read_only=True)
    agreement_reference = serializers.CharField(
        source="commitment.agreement.reference_number", read_only=True
    )
    party = serializers.IntegerField(source="commitment.party_id", read_only=True)
    party_organization = serializers.IntegerField(
        source="commitment.party.organization_id", read_only=True
    )
    party_name = serializers.CharField(source="commitment.party.organization.name", read_only=True)
    responsible_name = serializers.CharField(
        source="commitment.responsible.full_name", read_only=True, default=None, allow_null=True
    )
    due_date_jalali = JalaliDateTwinField(source="due_date")
    status_display = ChoiceLabelField(model=CommitmentOccurrence, source="status")
    is_overdue = serializers.SerializerMethodField()
    status_changed_at_jalali = JalaliTwinField(source="status_changed_at")
    status_changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CommitmentOccurrence
        fields = (
            "id",
            "commitment",
            "commitment_title",
            "clause",
            "agreement",
            "agreement_reference",
            "party",
            "party_organization",
            "party_name",
            "responsible_name",
            "number",
            "due_date",
            "due_date_jalali",
            "status",
            "status_display",
            "is_overdue",
            "status_changed_at",
            "status_changed_at_jalali",
            "status_changed_by_name",
            "evidence_note",
            "waiver_reason",
        )
        read_only_fields = fields

    def get_is_overdue(self, obj: CommitmentOccurrence) -> bool:
        today = self.context.get("today") or tehran_today()
        return obj.status == OccurrenceStatus.LATE or (
            obj.status == OccurrenceStatus.OPEN and obj.due_date < today
        )

    def get_status_changed_by_name(self, obj: CommitmentOccurrence) -> str | None:
        user = obj.status_changed_by
        if user is None:
            return None
        return user.get_full_name() or user.get_username()


class _NestedOccurrenceSerializer(PersianLabelsMixin, serializers.ModelSerializer):
    due_date_jalali = JalaliDateTwinField(source="due_date")
    status_display = ChoiceLabelField(model=CommitmentOccurrence, source="status")

    class Meta:
        model = CommitmentOccurrence
        fields = (
            "id",
            "number",
            "due_date",
            "due_date_jalali",
            "status",
            "status_display",
            "evidence_note",
            "waiver_reason",
        )
        read_only_fields = fields


class CommitmentOutputSerializer(PersianLabelsMixin, serializers.ModelSerializer):
    agreement_reference = serializers.CharField(source="agreement.reference_number", read_only=True)
    party_organization = serializers.IntegerField(source="party.organization_id", read_only=True)
    party_name = serializers.CharField(source="party.organization.name", read_only=True)
    responsible_name = serializers.CharField(
        source="responsible.full_name", read_only=True, default=None, allow_null=True
    )
    recurrence_display = ChoiceLabelField(model=Commitment, source="recurrence")
    due_date_jalali = JalaliDateTwinField(source="due_date")
    repeat_until_jalali = JalaliDateTwinField(source="repeat_until")
    occurrences = _NestedOccurrenceSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = (
            "id",
            "agreement",
            "agreement_reference",
            "party",
            "party_organization",
            "party_name",
            "clause",
            "title",
            "description",
            "recurrence",
            "recurrence_display",
            "due_date",
            "due_date_jalali",
            "repeat_until",
            "repeat_until_jalali",
            "responsible",
            "responsible_name",
            "source_decision",
            "source_action_item",
            "occurrences",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields
