"""API input serializers of meetings and action items: strict, one per service call."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from agreements.models import Agreement
from organizations.models import Organization, Person
from tracker import limits
from tracker.api.serializers import StrictInputSerializer
from tracker.jalali.drf import (
    JalaliDateSerializerField,
    JalaliDateTimeSerializerField,
)

from ...choices import (
    MAX_MINUTES_LENGTH,
    AttendanceRole,
    AttendanceStatus,
    InvitationResponse,
    MeetingKind,
    MeetingStatus,
    OpenItemsOnCancel,
)
from ...models import (
    MeetingSeries,
)
from ...services import (
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
