from __future__ import annotations

from django import forms

from .choices import ImportKind, ImportStatus


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="نوع اطلاعات", choices=ImportKind.choices)
    file = forms.FileField(
        label="فایل (Excel یا CSV)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt,.tsv"}),
        error_messages={"required": "فایل را انتخاب کنید.", "empty": "فایل خالی است."},
    )


class ImportHistoryFilter(forms.Form):
    kind = forms.ChoiceField(
        label="نوع", choices=[("", "همه"), *ImportKind.choices], required=False
    )
    status = forms.ChoiceField(
        label="وضعیت", choices=[("", "همه"), *ImportStatus.choices], required=False
    )
