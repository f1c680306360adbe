"""The page's upload form: the same checks as the API (the service runs them)."""

from __future__ import annotations

from django import forms


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="فایل",
        allow_empty_file=True,
        error_messages={"required": "فایلی برای بارگذاری برگزینید."},
        help_text="PDF، JPEG، PNG، WebP، Word (DOCX)، Excel (XLSX) یا OpenDocument (ODT)",
    )
    title = forms.CharField(label="عنوان (اختیاری)", max_length=200, required=False)


class AttachmentSearchForm(forms.Form):
    q = forms.CharField(label="جستجو در نام و عنوان", required=False, max_length=100)
