"""The form of «ثبت از روی متن»: the pasted text, the host (optional) and a publication date
for a text without a date line; in the preview, the title as corrected and, once told the
text was logged already, whether to log it again. The text's length is checked by the
service (one Persian message for the page and the API, ``INTAKE_MAX_TEXT_LENGTH``)."""

from __future__ import annotations

from typing import Any

from django import forms

from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user
from tracker.jalali.forms import JalaliDateField


class FromTextForm(forms.Form):
    text = forms.CharField(
        label="متن گزارش یا صورتجلسه",
        widget=forms.Textarea(attrs={"rows": 14, "dir": "rtl"}),
        # Not stripped: the review spans are offsets into the text exactly as pasted.
        strip=False,
        required=False,
    )
    host = forms.ModelChoiceField(
        label="سازمان میزبان",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="از روی متن",
    )
    published_on = JalaliDateField(label="تاریخ انتشار (اگر متن سطر تاریخ ندارد)", required=False)
    allow_duplicate = forms.BooleanField(
        label="این متن پیش‌تر ثبت شده؛ با این حال دوباره ثبت شود", required=False
    )
    # The preview's one editable field (the reader's title is the field most often wrong);
    # blank: the title read.
    title = forms.CharField(label="عنوان جلسه", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = org_scope_for_user(user)
        hosts = Organization.objects.filter(is_active=True).order_by("name")
        if not scope.everything:
            hosts = hosts.filter(pk__in=sorted(scope.ids_with_role(Role.STAFF)))
        self.fields["host"].queryset = hosts  # type: ignore[attr-defined]
