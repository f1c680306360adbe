"""Forms of the dashboard pages."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from organizations.models import Organization
from organizations.selectors import organizations_visible_q
from tracker.jalali import TEHRAN, JalaliDateField


def end_of_day(value: date) -> datetime:
    """The last second of ``value`` in Tehran time: a token "until 1404/01/01" works that day."""
    return datetime.combine(value, time(23, 59, 59), tzinfo=TEHRAN)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="نام توکن", max_length=100)
    read_only = forms.BooleanField(
        label="فقط خواندنی",
        required=False,
        initial=True,
        help_text="بدون این گزینه توکن می‌تواند بنویسد.",
    )
    expires_on = JalaliDateField(
        label="تاریخ انقضا", required=False, help_text="خالی: ۹۰ روز دیگر."
    )

    def clean_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError("تاریخ انقضا باید امروز یا بعد از آن باشد.")
        return value


class DashboardFilterForm(forms.Form):
    """The dashboard's filters: the same ones the stats API accepts."""

    organization = forms.ModelChoiceField(
        label="سازمان",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="همه سازمان‌ها",
    )
    province = forms.CharField(label="استان", required=False, max_length=100)
    date_from = JalaliDateField(label="از تاریخ", required=False)
    date_to = JalaliDateField(label="تا تاریخ", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = Organization.objects.filter(organizations_visible_q(user)).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "پایان بازه باید پس از آغاز آن باشد.")
        return data
