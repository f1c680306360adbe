"""The meeting's own form (the top of «ثبت جلسه» / «ویرایش جلسه») and its initial values."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms

from agreements.selectors import agreement_list_for_user
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user
from tracker import limits
from tracker.forms import LimitedCharField
from tracker.jalali import (
    TEHRAN,
    format_date,
    format_time,
    to_tehran,
)
from tracker.jalali.forms import JalaliDateField, JalaliDateTimeField

from ..choices import MeetingKind, MeetingStatus
from ..models import Meeting
from ..selectors import series_list_for_user
from ..services import (
    MEETING_FIELDS,
)
from .widgets import TEXTAREA_SMALL, DigitsCharField, EndField, active_organizations


class MeetingForm(forms.Form):
    title = forms.CharField(label="عنوان جلسه", max_length=300)
    kind = forms.ChoiceField(label="نوع جلسه", choices=MeetingKind.choices)
    status = forms.ChoiceField(
        label="وضعیت",
        choices=[
            (MeetingStatus.HELD, MeetingStatus.HELD.label),
            (MeetingStatus.PLANNED, MeetingStatus.PLANNED.label),
        ],
    )
    start = JalaliDateTimeField(label="تاریخ و ساعت شروع")
    end = EndField(
        label="پایان (ساعت یا تاریخ و ساعت)",
        required=False,
        help_text="فقط ساعت (مثلاً ۱۲:۰۰) یعنی همان روز شروع.",
    )
    location = forms.CharField(label="محل", max_length=300, required=False)
    host = forms.ModelChoiceField(label="سازمان میزبان", queryset=Organization.objects.none())
    participants = forms.ModelMultipleChoiceField(
        label="سازمان‌های شرکت‌کننده دیگر",
        queryset=Organization.objects.none(),
        required=False,
        help_text="سازمان حاضران خودبه‌خود افزوده می‌شود.",
    )
    series = forms.ModelChoiceField(
        label="سلسله جلسات", queryset=Organization.objects.none(), required=False
    )
    new_series_title = forms.CharField(label="یا سلسله تازه", max_length=300, required=False)
    agreements = forms.ModelMultipleChoiceField(
        label="تفاهم‌نامه‌های مرتبط", queryset=Organization.objects.none(), required=False
    )
    minutes = forms.CharField(label="متن صورتجلسه", widget=forms.Textarea, required=False)
    notes = LimitedCharField(
        label="یادداشت", widget=TEXTAREA_SMALL, required=False, max_length=limits.MEETING_NOTES
    )
    source_publication = forms.CharField(label="منبع: نشریه", max_length=200, required=False)
    source_issue = DigitsCharField(label="منبع: شماره", max_length=50, required=False)
    source_page = DigitsCharField(label="منبع: صفحه", max_length=100, required=False)
    source_date = JalaliDateField(label="منبع: تاریخ", required=False)
    source_url = forms.URLField(
        label="منبع: پیوند", max_length=500, required=False, assume_scheme="https"
    )

    # Only «ثبت جلسه» sets these; ``meeting_update`` does not change them.
    LOG_ONLY_FIELDS = ("status", "new_series_title")

    def __init__(self, *args: Any, user: Any, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if edit:
            for name in self.LOG_ONLY_FIELDS:
                del self.fields[name]
        scope = org_scope_for_user(user)
        hosts = active_organizations()
        if not scope.everything:
            hosts = hosts.filter(pk__in=sorted(scope.ids_with_role(Role.STAFF)))
        self.fields["host"].queryset = hosts  # type: ignore[attr-defined]
        self.fields["participants"].queryset = active_organizations()  # type: ignore[attr-defined]
        self.fields["series"].queryset = series_list_for_user(user=user)  # type: ignore[attr-defined]
        agreements = agreement_list_for_user(user=user)
        self.fields["agreements"].queryset = agreements  # type: ignore[attr-defined]
        if not edit and hosts.count() == 1 and not self.is_bound:
            self.initial.setdefault("host", hosts.first())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end, start = data.get("end"), data.get("start")
        if isinstance(end, time):
            if start is None:
                # The start has its own error; the end cannot be placed without it.
                data.pop("end", None)
            else:
                data["end"] = datetime.combine(to_tehran(start).date(), end, tzinfo=TEHRAN)
        return data


def _end_initial(meeting: Meeting) -> str:
    """The end as the form reads it back: a time on the start's day, else date and time."""
    if meeting.end is None:
        return ""
    end = to_tehran(meeting.end)
    if end.date() == to_tehran(meeting.start).date():
        return format_time(end)
    return f"{format_date(end)} {format_time(end)}"


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    """The meeting form prefilled; reads the lists ``meeting_get_for_user`` prefetched."""
    initial: dict[str, Any] = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    initial["host"] = meeting.host_id
    initial["series"] = meeting.series_id
    initial["end"] = _end_initial(meeting)
    # The chosen organisations only: the service adds attendees' organisations itself.
    attending = {a.organization_id for a in meeting.attendances.all()}
    initial["participants"] = [o.pk for o in meeting.participants.all() if o.pk not in attending]
    # Only the links the user can see (prefetched as ``visible_agreements``).
    initial["agreements"] = [a.pk for a in getattr(meeting, "visible_agreements", [])]
    return initial
