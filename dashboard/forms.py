"""Forms of the dashboard pages."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

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
