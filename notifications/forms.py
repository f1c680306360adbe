"""The preferences form of the inbox page."""

from __future__ import annotations

from django import forms

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = (
            "in_app",
            "email",
            "sms",
            "phone",
            "quiet_start",
            "quiet_end",
            "mode",
            "digest_hour",
        )
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        }
