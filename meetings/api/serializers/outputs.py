"""API output serializers of meetings and action items (separate from the inputs)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.api.fields import ChoiceLabelField, JalaliDateTwinField
from tracker.jalali.calendar import to_tehran, weekday_name
from tracker.jalali.drf import (
    JalaliTwinField,
)

from ...choices import (
    ActionItemStatus,
)
from ...models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MinutesAddendum,
    ParticipantResponse,
    Statement,
)


# --- Input -------------------------------------------------------------------------------------
class ActionItemOutputSerializer(serializers.ModelSerializer):
    status_display = ChoiceLabelField(model=ActionItem, source="status")
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    owner_person_name = serializers.CharField(
        source="owner_person.full_name", read_only=True, default=None, allow_null=True
    )
    owner_organization_name = serializers.CharField(
        source="owner_organization.name", read_only=True, default=None, allow_null=True
    )
    due_date_jalali = JalaliDateTwinField(source="due_date")
    completed_at_jalali = JalaliTwinField(source="completed_at")
    is_overdue = serializers.SerializerMethodField()
    # The agreement only if the user may see it (annotated by the selectors); null otherwise.
    agreement = serializers.IntegerField(
        source="visible_agreement_id", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ActionItem
        fields = (
            "id",
            "meeting",
            "meeting_title",
            "decision",
            "description",
            "owner_person",
            "owner_person_name",
            "owner_organization",
            "owner_organization_name",
            "agreement",
            "due_date",
            "due_date_jalali",
            "status",
            "status_display",
            "is_overdue",
            "completed_at",
            "completed_at_jalali",
            "completion_note",
            "updated_at",
        )
        read_only_fields = fields

    def get_is_overdue(self, obj: ActionItem) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return obj.status == ActionItemStatus.OPEN and obj.due_date < today


class AttendanceOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role_display = ChoiceLabelField(model=Attendance, source="role")
    status_display = ChoiceLabelField(model=Attendance, source="status")

    class Meta:
        model = Attendance
        fields = (
            "id",
            "name",
            "person",
            "group_label",
            "head_count",
            "organization",
            "organization_name",
            "position_title",
            "role",
            "role_display",
            "status",
            "status_display",
        )
        read_only_fields = fields


class AgendaItemOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ("id", "order", "title", "description")
        read_only_fields = fields


class DecisionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ("id", "order", "text", "agenda_item")
        read_only_fields = fields


class StatementOutputSerializer(serializers.ModelSerializer):
    speaker_name = serializers.CharField(
        source="speaker.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Statement
        fields = ("id", "order", "speaker", "speaker_name", "text")
        read_only_fields = fields


class AddendumOutputSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True)
    created_at_jalali = JalaliTwinField(source="created_at")

    class Meta:
        model = MinutesAddendum
        fields = ("id", "text", "author", "author_name", "created_at", "created_at_jalali")
        read_only_fields = fields


class ParticipantResponseOutputSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    response_display = ChoiceLabelField(model=ParticipantResponse, source="response")
    responded_at_jalali = JalaliTwinField(source="responded_at")

    class Meta:
        model = ParticipantResponse
        fields = (
            "organization",
            "organization_name",
            "response",
            "response_display",
            "responded_at",
            "responded_at_jalali",
        )
        read_only_fields = fields


class MeetingListOutputSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField(model=Meeting, source="kind")
    status_display = ChoiceLabelField(model=Meeting, source="status")
    host_name = serializers.CharField(source="host.name", read_only=True)
    start_jalali = JalaliTwinField(source="start")
    start_weekday = serializers.SerializerMethodField(
        help_text="The Persian weekday of the start in Tehran («شنبه» … «جمعه»)."
    )
    end_jalali = JalaliTwinField(source="end")
    participants: Any = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields: tuple[str, ...] = (
            "id",
            "title",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "start",
            "start_jalali",
            "start_weekday",
            "end",
            "end_jalali",
            "location",
            "host",
            "host_name",
            "participants",
            "series",
            "needs_review",
            "updated_at",
        )
        read_only_fields: tuple[str, ...] = fields

    def get_start_weekday(self, obj: Meeting) -> str:
        return weekday_name(to_tehran(obj.start).date())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_participants(self, obj: Meeting) -> list[int]:
        # The list selector prefetches bare ids into ``participant_rows`` (no manager and
        # queryset per row); the detail reads its prefetched ``participants``.
        rows = getattr(obj, "participant_rows", None)
        if rows is None:
            rows = obj.participants.all()
        return [p.pk for p in rows]


class MeetingDetailOutputSerializer(MeetingListOutputSerializer):
    attendances = AttendanceOutputSerializer(many=True, read_only=True)
    agenda_items = AgendaItemOutputSerializer(many=True, read_only=True)
    decisions = DecisionOutputSerializer(many=True, read_only=True)
    statements = StatementOutputSerializer(many=True, read_only=True)
    action_items = ActionItemOutputSerializer(many=True, read_only=True)
    addenda = AddendumOutputSerializer(many=True, read_only=True)
    # The participants' answers to the invitation (declined, or accepted again); a
    # participant not listed has not answered.
    participant_responses = ParticipantResponseOutputSerializer(many=True, read_only=True)
    # Only the linked agreements the user may see (prefetched by the selector).
    agreements: Any = serializers.SerializerMethodField()
    source_date_jalali = JalaliTwinField(source="source_date")
    # A plain string: "" when there is no link (a "uri" format would refuse the empty value).
    source_url = serializers.CharField(read_only=True)
    minutes_approved_at_jalali = JalaliTwinField(source="minutes_approved_at")

    class Meta(MeetingListOutputSerializer.Meta):
        fields = (
            *MeetingListOutputSerializer.Meta.fields,
            "minutes",
            "notes",
            "source_publication",
            "source_issue",
            "source_page",
            "source_date",
            "source_date_jalali",
            "source_url",
            "minutes_approved_at",
            "minutes_approved_at_jalali",
            "cancel_reason",
            "agreements",
            "attendances",
            "agenda_items",
            "decisions",
            "statements",
            "action_items",
            "addenda",
            "participant_responses",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_agreements(self, obj: Meeting) -> list[int]:
        return [a.pk for a in getattr(obj, "visible_agreements", ())]


class SignedProposalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(allow_blank=True)
    status = serializers.CharField(help_text="The status it opens in: draft.")
    signed_date = serializers.DateField()
    created = serializers.IntegerField(required=False)


class ReviewItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One uncertain reading of ``from-text``: the field or row key it fills, the value put
    there, the reader's confidence (0–1), a Persian message, and where in the text it came
    from (``span`` is ``[start, end)`` in the text as sent; ``excerpt`` is that slice)."""

    field = serializers.CharField()
    value = serializers.CharField(allow_blank=True, allow_null=True)
    confidence = serializers.FloatField()
    message = serializers.CharField()
    span = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)
    excerpt = serializers.CharField(allow_blank=True)
    agreement = SignedProposalSerializer(
        required=False,
        help_text="Only on the `agreements` item: the signed MoU proposed, opened and "
        "linked when the meeting is confirmed (`created`: its id, once opened).",
    )


class MeetingFromTextOutputSerializer(MeetingDetailOutputSerializer):
    """The meeting's detail body plus the ``review`` list of what the reader was unsure of."""

    review = ReviewItemSerializer(many=True, read_only=True, source="review_items")

    class Meta(MeetingDetailOutputSerializer.Meta):
        fields = (*MeetingDetailOutputSerializer.Meta.fields, "review")
        read_only_fields = fields
