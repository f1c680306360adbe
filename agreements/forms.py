"""Forms of the agreement pages. They only read input; the services hold the rules."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from attachments.files import FileTooLarge, check_scan
from organizations.models import Organization
from tracker import limits
from tracker.forms import LimitedCharField, PersianIntegerField
from tracker.jalali.forms import JalaliDateField

from .choices import AgreementStatus, PartyRole


class AgreementFieldsForm(forms.Form):
    reference_number = forms.CharField(label="شماره", max_length=64)
    title = forms.CharField(label="عنوان", max_length=255)
    subject = LimitedCharField(
        label="موضوع",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.AGREEMENT_SUBJECT,
    )
    review_deadline = JalaliDateField(label="مهلت بررسی", required=False)
    target_signing_date = JalaliDateField(label="تاریخ هدف امضا", required=False)
    signed_date = JalaliDateField(label="تاریخ امضا", required=False)
    effective_date = JalaliDateField(label="تاریخ اجرا", required=False)
    expiry_date = JalaliDateField(label="تاریخ انقضا", required=False)
    notice_period_days = PersianIntegerField(
        label="مهلت اعلام پیش از انقضا (روز)", required=False, min_value=0, max_value=3650
    )


class AgreementCreateForm(AgreementFieldsForm):
    owning_organization = forms.ModelChoiceField(
        label="سازمان مالک", queryset=Organization.objects.none()
    )
    first_party = forms.ModelChoiceField(
        label="طرف اول", queryset=Organization.objects.none(), required=False
    )
    second_party = forms.ModelChoiceField(
        label="طرف دوم", queryset=Organization.objects.none(), required=False
    )
    witness = forms.ModelChoiceField(
        label="ناظر / شاهد", queryset=Organization.objects.none(), required=False
    )
    text = LimitedCharField(
        label="متن نخستین نسخه",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=limits.AGREEMENT_TEXT,
    )

    field_order = ("owning_organization", "reference_number", "title")

    def __init__(
        self,
        *args: Any,
        owners: Any,
        organizations: Any,
        reference_suggestions: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owning_organization"].queryset = owners  # type: ignore[attr-defined]
        if reference_suggestions:
            # static/js/agreement-reference.js fills the number from this map when the
            # owner changes (unless the user has typed a number of their own).
            self.fields["owning_organization"].widget.attrs["data-reference-suggestions"] = (
                json.dumps({str(k): v for k, v in reference_suggestions.items()})
            )
            self.fields["reference_number"].widget.attrs["data-reference-target"] = ""
            self.fields[
                "reference_number"
            ].help_text = (
                "شماره بعدی سازمان مالک در سال جاری پیشنهاد می‌شود؛ می‌توانید آن را تغییر دهید."
            )
        for name in ("first_party", "second_party", "witness"):
            self.fields[name].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = (data.get(n) for n in ("first_party", "second_party", "witness"))
        chosen = [o for o in picked if o is not None]
        if len({o.pk for o in chosen}) != len(chosen):
            raise forms.ValidationError("یک سازمان را دو بار به عنوان طرف برگزیده‌اید.")
        return data

    def parties(self) -> list[tuple[Organization, str]]:
        roles = (
            ("first_party", PartyRole.FIRST_PARTY),
            ("second_party", PartyRole.SECOND_PARTY),
            ("witness", PartyRole.WITNESS),
        )
        return [(self.cleaned_data[n], role) for n, role in roles if self.cleaned_data.get(n)]


class AgreementEditForm(AgreementFieldsForm):
    signed_scan = forms.FileField(label="نسخه اسکن‌شده امضاشده", required=False)
    # The lock_version the page was rendered from: a stale save is refused, never merged.
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_signed_scan(self) -> Any:
        scan = self.cleaned_data.get("signed_scan")
        if not scan:
            return scan
        # The attachments' checks: type by content, a matching name, ATTACHMENT_MAX_BYTES.
        try:
            return check_scan(scan)
        except FileTooLarge as exc:
            raise forms.ValidationError(exc.message, code="too_large") from exc
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["signed_scan"]) from exc


class VersionForm(forms.Form):
    text = LimitedCharField(
        label="متن", widget=forms.Textarea(attrs={"rows": 18}), max_length=limits.AGREEMENT_TEXT
    )
    change_note = forms.CharField(label="شرح تغییر", required=False, max_length=500)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=AgreementStatus.choices)
    reason = forms.CharField(required=False, max_length=2000)


class ApprovalForm(forms.Form):
    organization = forms.IntegerField()
    note = forms.CharField(required=False, max_length=500)


class PartyForm(forms.Form):
    organization = forms.ModelChoiceField(label="سازمان", queryset=Organization.objects.all())
    role = forms.ChoiceField(label="نقش", choices=PartyRole.choices)
