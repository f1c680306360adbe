"""The preferences form of the inbox page."""

from __future__ import annotations

from django import forms

from .models import NotificationPreference
from .services import PREFERENCE_FIELDS


class PreferenceForm(forms.ModelForm):
    # The table's check constraint allows 0–23; said here so that a wrong hour is a Persian
    # field error, not the constraint's English message.
    digest_hour = forms.IntegerField(
        label="ساعت خلاصه روزانه (تهران)",
        min_value=0,
        max_value=23,
        error_messages={
            "min_value": "ساعت باید بین ۰ و ۲۳ باشد.",
            "max_value": "ساعت باید بین ۰ و ۲۳ باشد.",
            "invalid": "ساعت را به عدد بنویسید (۰ تا ۲۳).",
            "required": "ساعت خلاصه روزانه لازم است.",
        },
    )

    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        }
