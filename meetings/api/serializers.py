"""API serializers of meetings and action items: strict inputs, separate outputs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import Agreement
from organizations.models import Organization, Person
from tracker import limits
from tracker.api.fields import ChoiceLabelField, JalaliDateTwinField
from tracker.api.serializers import StrictInputSerializer
from tracker.jalali.calendar import to_tehran, weekday_name
from tracker.jalali.drf import (
    JalaliDateSerializerField,
    JalaliDateTimeSerializerField,
    JalaliTwinField,
)

from ..choices import (
    MAX_MINUTES_LENGTH,
    ActionItemStatus,
    AttendanceRole,
    AttendanceStatus,
    InvitationResponse,
    MeetingKind,
    MeetingStatus,
    OpenItemsOnCancel,
)
from ..models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingSeries,
    MinutesAddendum,
    ParticipantResponse,
    Statement,
)
from ..services import (
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    StatementInput,
)

# --- Input -------------------------------------------------------------------------------------


class AttendanceInputSerializer(StrictInputSerializer):
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    new_person_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    group_label = serializers.CharField(max_length=300, required=False, allow_blank=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    position_title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    head_count = serializers.IntegerField(
        min_value=1, max_value=limits.HEAD_COUNT, required=False, allow_null=True
    )
    role = serializers.ChoiceField(choices=AttendanceRole.choices, required=False)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, required=False)


class AgendaItemInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=limits.AGENDA_DESCRIPTION
    )


class DecisionInputSerializer(StrictInputSerializer):
    text = serializers.CharField(max_length=limits.DECISION_TEXT)
    agenda_index = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="0-based index in agenda_items"
    )


class StatementInputSerializer(StrictInputSerializer):
    text = serializers.CharField(max_length=limits.STATEMENT_TEXT)
    speaker_index = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="0-based index in attendances (the ones given, or the current ones)",
    )


class ActionItemRowInputSerializer(StrictInputSerializer):
    description = serializers.CharField(max_length=limits.ACTION_DESCRIPTION)
    due_date = JalaliDateSerializerField()
    owner_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    owner_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    decision_index = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="0-based index in decisions"
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), required=False, allow_null=True
    )


class MeetingInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False)
    status = serializers.ChoiceField(
        choices=[(MeetingStatus.PLANNED, "planned"), (MeetingStatus.HELD, "held")],
        required=False,
    )
    start = JalaliDateTimeSerializerField()
    end = JalaliDateTimeSerializerField(required=False, allow_null=True)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    host = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    series = serializers.PrimaryKeyRelatedField(
        queryset=MeetingSeries.objects.all(),
        required=False,
        allow_null=True,
    )
    new_series_title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agreements = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), many=True, required=False
    )
    # The length rule lives in the service (one Persian message for API and form alike).
    minutes = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=MAX_MINUTES_LENGTH + 1
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=limits.MEETING_NOTES)
    source_publication = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source_issue = serializers.CharField(max_length=50, required=False, allow_blank=True)
    source_page = serializers.CharField(max_length=100, required=False, allow_blank=True)
    source_date = JalaliDateSerializerField(required=False, allow_null=True)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    attendances = AttendanceInputSerializer(many=True, required=False)
    agenda_items = AgendaItemInputSerializer(many=True, required=False)
    decisions = DecisionInputSerializer(many=True, required=False)
    statements = StatementInputSerializer(many=True, required=False)
    action_items = ActionItemRowInputSerializer(many=True, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        """The validated data as the keyword arguments of ``meeting_log``/``meeting_update``."""
        data = dict(self.validated_data)
        rows = {
            "attendances": AttendanceInput,
            "agenda_items": AgendaItemInput,
            "decisions": DecisionInput,
            "statements": StatementInput,
            "action_items": ActionItemInput,
        }
        for key, cls in rows.items():
            if key in data:
                data[key] = [cls(**row) for row in data[key]]
        return data


class MeetingUpdateInputSerializer(MeetingInputSerializer):
    """Partial update of a planned or held meeting; action items have their own endpoint."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in ("status", "action_items", "new_series_title", "agreements"):
            fields.pop(name)
        return fields


class FromTextInputSerializer(StrictInputSerializer):
    # Not trimmed: the review spans are offsets into the text exactly as sent.
    # Its length is the service's check (INTAKE_MAX_TEXT_LENGTH, one Persian message).
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    host = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The host organisation; by default the text's first municipality (else "
        "organisation) where the caller is staff.",
    )
    published_on = JalaliDateSerializerField(
        required=False,
        allow_null=True,
        help_text="The report's date, for a text without a date line.",
    )
    allow_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Log the text even when it was already logged for the same host (else "
        "409 with the existing meeting's id in `meeting`).",
    )


class DuplicateReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The 409 of ``from-text`` for a text already logged for the same host."""

    detail = serializers.CharField(help_text="Persian message naming the existing meeting.")
    meeting = serializers.IntegerField(help_text="The id of the meeting logged from this text.")
    text = serializers.ListField(child=serializers.CharField())


class ConfirmInputSerializer(StrictInputSerializer):
    create_agreements = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Open the MoU the report said was signed, linked (default true).",
    )


class CancelInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MeetingCancelInputSerializer(CancelInputSerializer):
    open_items = serializers.ChoiceField(
        choices=OpenItemsOnCancel.choices,
        required=False,
        help_text="Open action items: «cancel» with the meeting or «keep»; required if any.",
        error_messages={"invalid_choice": "«{input}» برای open_items (اقدامات باز) معتبر نیست."},
    )


class InvitationResponseInputSerializer(StrictInputSerializer):
    """A participant's answer to the invitation. ``organization`` may be left out when the
    user answers for exactly one participant organisation of the meeting."""

    response = serializers.ChoiceField(choices=InvitationResponse.choices)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )


class AddendumInputSerializer(StrictInputSerializer):
    text = serializers.CharField(max_length=MAX_MINUTES_LENGTH)


class ActionItemCreateInputSerializer(StrictInputSerializer):
    meeting = serializers.IntegerField()
    description = serializers.CharField(max_length=limits.ACTION_DESCRIPTION)
    due_date = JalaliDateSerializerField()
    owner_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    owner_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), required=False, allow_null=True
    )


class ActionItemCompleteInputSerializer(StrictInputSerializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=limits.COMPLETION_NOTE
    )


class ActionItemReassignInputSerializer(StrictInputSerializer):
    owner_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    owner_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    due_date = JalaliDateSerializerField(required=False, allow_null=True)


# --- Output ------------------------------------------------------------------------------------


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
