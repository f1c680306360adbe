"""API serializers of the dashboard app: tokens and the aggregates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import ApiToken
from organizations.selectors import organization_list_for_user
from tracker.api.serializers import StrictInputSerializer
from tracker.jalali import (
    JalaliDateSerializerField,
    JalaliDateTimeSerializerField,
    JalaliTwinField,
)


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


class TokenExpiryField(JalaliDateTimeSerializerField):
    """When a token stops working: a date and time, or a date alone meaning the last second
    of that day in Tehran (what the profile page's date field means), so "until 1405/12/01"
    works on 1405/12/01 whichever way the token was made."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            # A date alone in any form the date fields read (1405/10/15, 2027-01-05,
            # 15 دی 1405): if it parses as a date, it has no time of its own.
            try:
                day = JalaliDateSerializerField().to_internal_value(value)
            except serializers.ValidationError:
                pass
            else:
                from dashboard.forms import end_of_day

                return end_of_day(day)
        return super().to_internal_value(value)


class ApiTokenInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    read_only = serializers.BooleanField(required=False, default=True)  # type: ignore[assignment]
    expires_at = TokenExpiryField(
        required=False,
        allow_null=True,
        help_text=(
            "ISO 8601 or Jalali (Tehran time); a date alone (1405/12/01, 2027-02-20) means the"
            " end of that day, as on the profile page. Default 90 days from now."
        ),
    )


# --- Aggregates -------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "string",
        "description": "A date: Jalali (1399/05/11, ۱۳۹۹/۰۵/۱۱, 1399-05-11) or ISO (2020-08-01).",
        "example": "1403/01/01",
    }
)
class JalaliDateQueryField(JalaliDateSerializerField):
    """A date in a query string: typed as a string in the schema, since Jalali dates (and
    Persian digits) are as welcome as ISO ones and a client must not reject them."""


class CurrentStatsQuerySerializer(serializers.Serializer):
    """The filters of the aggregates about *now* (agreements by status, upcoming deadlines):
    organisation and province. A date range does not apply to them and is not read."""

    organization = serializers.IntegerField(
        required=False, min_value=1, help_text="Organisation id: owner, host, party or owner."
    )
    province = serializers.CharField(required=False, max_length=100, help_text="استان")

    def validate_organization(self, value: int) -> int:
        """An organisation of the directory (every member reads it; what it owns stays
        scoped), so a mistyped id is a 400, not an answer of zeros. Checked when the
        serializer knows the request."""
        request = self.context.get("request")
        if request is None:
            return value
        if not organization_list_for_user(user=request.user).filter(pk=value).exists():
            raise serializers.ValidationError("سازمانی با این شناسه نیست.")
        return value


class StatsQuerySerializer(CurrentStatsQuerySerializer):
    """The filters of the aggregates over time: organisation, province and a date range."""

    date_from = JalaliDateQueryField(
        required=False, help_text="Start of the range, ISO (2020-08-01) or Jalali (1399/05/11)."
    )
    date_to = JalaliDateQueryField(
        required=False, help_text="End of the range (inclusive), ISO or Jalali."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": "پایان بازه باید پس از آغاز آن باشد."})
        if start and end and (end - start).days > 366 * 20:
            raise serializers.ValidationError({"date_from": "بازه حداکثر بیست سال است."})
        return attrs


class UpcomingQuerySerializer(CurrentStatsQuerySerializer):
    """Upcoming deadlines: the window is the next ``days`` days from today (no date range)."""

    days = serializers.IntegerField(
        required=False, default=30, min_value=1, max_value=366, help_text="How many days ahead."
    )
    limit = serializers.IntegerField(
        required=False, default=100, min_value=1, max_value=500, help_text="Most rows returned."
    )


class ActionStatsQuerySerializer(StatsQuerySerializer):
    limit = serializers.IntegerField(
        required=False, default=50, min_value=1, max_value=500, help_text="Rows per grouping."
    )


class StatsFiltersEcho(serializers.Serializer):
    organization = serializers.IntegerField(allow_null=True)
    province = serializers.CharField(allow_null=True)
    date_from = serializers.DateField(allow_null=True)
    date_from_jalali = serializers.CharField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    date_to_jalali = serializers.CharField(allow_null=True)


class StatsEnvelope(serializers.Serializer):
    calendar = serializers.ChoiceField(choices=["jalali"], help_text="Always «jalali».")
    calendar_cldr = serializers.ChoiceField(choices=["persian"], help_text="CLDR calendar name.")
    time_zone = serializers.ChoiceField(choices=["Asia/Tehran"])
    generated_at = serializers.DateTimeField()
    filters = StatsFiltersEcho()


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    url = serializers.CharField(help_text="The filtered list page behind the number.")


class ByStatusSerializer(StatsEnvelope):
    total = serializers.IntegerField()
    results = StatusCountSerializer(many=True)


class DurationRowSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    completed = serializers.IntegerField(help_text="Finished stays measured.")
    ongoing = serializers.IntegerField(help_text="Agreements in this state now.")
    median_days = serializers.FloatField(allow_null=True)
    p90_days = serializers.FloatField(allow_null=True)
    url = serializers.CharField()


class DurationsSerializer(StatsEnvelope):
    results = DurationRowSerializer(many=True)


class RangeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    start_jalali = serializers.CharField()
    end_jalali = serializers.CharField()


class MonthSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Jalali year.")
    month = serializers.IntegerField(help_text="Jalali month number, 1 = Farvardin.")
    month_name = serializers.CharField(help_text="Persian month name.")
    label = serializers.CharField()  # type: ignore[assignment]
    key = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    start_jalali = serializers.CharField()
    end_jalali = serializers.CharField()
    quarter = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    agreements_signed = serializers.IntegerField()
    meetings_held = serializers.IntegerField()
    agreements_url = serializers.CharField()
    meetings_url = serializers.CharField()


class QuarterSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    key = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    start_jalali = serializers.CharField(help_text="First day, Jalali (1403/04/01).")
    end_jalali = serializers.CharField(help_text="Last day, Jalali.")
    months = serializers.ListField(child=serializers.IntegerField())
    agreements_signed = serializers.IntegerField()
    meetings_held = serializers.IntegerField()


class FiscalYearSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(help_text="Starts on 1 Farvardin.")
    label = serializers.CharField()  # type: ignore[assignment]
    start = serializers.DateField()
    end = serializers.DateField()
    start_jalali = serializers.CharField(help_text="1 Farvardin of the year, Jalali.")
    end_jalali = serializers.CharField(help_text="Last day of Esfand, Jalali.")
    agreements_signed = serializers.IntegerField()
    meetings_held = serializers.IntegerField()


class TimelineSerializer(StatsEnvelope):
    range = RangeSerializer()
    months = MonthSerializer(many=True)
    quarters = QuarterSerializer(many=True)
    fiscal_years = FiscalYearSerializer(many=True)


class ActionTotalsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    done = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class _ActionCountsSerializer(serializers.Serializer):
    """The counts, rate and links of one row (an organisation or an owner)."""

    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    done = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    url = serializers.CharField(help_text="The list of these open items.")
    overdue_url = serializers.CharField(help_text="The list of these overdue items.")


class ActionByOrgSerializer(_ActionCountsSerializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()


class ActionByOwnerSerializer(_ActionCountsSerializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    organization_name = serializers.CharField()


class ActionStatsSerializer(StatsEnvelope):
    today = serializers.DateField()
    today_jalali = serializers.CharField()
    totals = ActionTotalsSerializer(
        help_text="Every visible item, with or without an owning organisation or person."
    )
    open_url = serializers.CharField(help_text="The action-item list of the open items.")
    overdue_url = serializers.CharField(help_text="The action-item list of the overdue items.")
    by_organization = ActionByOrgSerializer(
        many=True,
        help_text="Items with an owning organisation, most overdue first (``limit`` rows); "
        "items owned by a person alone count in the totals and under ``by_owner`` only.",
    )
    by_owner = ActionByOwnerSerializer(
        many=True, help_text="Items with an owner person, most overdue first (``limit`` rows)."
    )


class DeadlineSerializer(serializers.Serializer):
    # A plain string, not an enum: an enum named "kind" would collide with the meetings' and
    # organisations' "kind" choice sets in the schema.
    kind = serializers.CharField(
        help_text="meeting, action_item, state_limit, review_deadline or expiry."
    )
    kind_label = serializers.CharField()
    id = serializers.IntegerField()
    date = serializers.DateField()
    date_jalali = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)
    title = serializers.CharField()
    organization_name = serializers.CharField()
    url = serializers.CharField()


class UpcomingSerializer(StatsEnvelope):
    days = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    start_jalali = serializers.CharField()
    end_jalali = serializers.CharField()
    count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    results = DeadlineSerializer(many=True)


class CommitmentMeasuresSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    late = serializers.IntegerField(help_text="Overdue: late, or open past the due date.")
    open = serializers.IntegerField(help_text="Open and not yet due.")
    waived = serializers.IntegerField()
    fulfilment_rate = serializers.FloatField(
        allow_null=True, help_text="done ÷ (done + late); null when nothing was due yet."
    )
    url = serializers.CharField(help_text="The filtered commitments list behind the numbers.")
    late_url = serializers.CharField(help_text="The same list, overdue only.")


class CommitmentPartyRowSerializer(CommitmentMeasuresSerializer):
    party = serializers.IntegerField(help_text="The agreement party id.")
    organization = serializers.IntegerField()
    name = serializers.CharField()
    agreement = serializers.IntegerField()
    agreement_reference = serializers.CharField()


class CommitmentOrgRowSerializer(CommitmentMeasuresSerializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()


class CommitmentMonthRowSerializer(CommitmentMeasuresSerializer):
    year = serializers.IntegerField(help_text="Jalali year of the due dates.")
    month = serializers.IntegerField(help_text="Jalali month, 1 = Farvardin.")
    month_name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class _CommitmentTotalsSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    late = serializers.IntegerField()
    open = serializers.IntegerField()
    waived = serializers.IntegerField()
    fulfilment_rate = serializers.FloatField(allow_null=True)


class CommitmentStatsSerializer(StatsEnvelope):
    today = serializers.DateField()
    today_jalali = serializers.CharField()
    totals = _CommitmentTotalsSerializer()
    url = serializers.CharField()
    late_url = serializers.CharField()
    by_party = CommitmentPartyRowSerializer(many=True)
    by_organization = CommitmentOrgRowSerializer(many=True)
    by_month = CommitmentMonthRowSerializer(many=True)
