"""The commitment form of the pages (the API validates with its own input serializers)."""

from __future__ import annotations

from typing import Any

from django import forms

from agreements.models import Agreement, AgreementParty
from organizations.models import Person
from tracker.jalali.forms import JalaliDateField

from .choices import Recurrence

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class CommitmentForm(forms.Form):
    party = forms.ModelChoiceField(label="طرف متعهد", queryset=AgreementParty.objects.none())
    clause = forms.CharField(label="بند / ماده", max_length=64, required=False)
    title = forms.CharField(label="عنوان تعهد", max_length=255)
    description = forms.CharField(label="شرح", widget=TEXTAREA, required=False, max_length=4000)
    due_date = JalaliDateField(label="مهلت (نخستین)")
    recurrence = forms.ChoiceField(label="تکرار", choices=Recurrence.choices)
    repeat_until = JalaliDateField(label="تکرار تا (خالی: تا پایان تفاهم‌نامه)", required=False)
    responsible = forms.ModelChoiceField(
        label="مسئول (از سازمان طرف متعهد)", queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, agreement: Agreement, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = AgreementParty.objects.filter(agreement=agreement).select_related("organization")
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["party"].label_from_instance = lambda p: p.organization.name  # type: ignore[attr-defined]
        # People of the parties' organisations (the agreement shows its parties); the
        # service checks the person belongs to the party chosen.
        self.fields["responsible"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(organization__in=parties.values("organization"))
            .select_related("organization")
            .order_by("full_name", "id")
        )
        self.fields["responsible"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.full_name} ({p.organization.name})"
        )


class NoteForm(forms.Form):
    note = forms.CharField(label="توضیح", widget=TEXTAREA, max_length=4000)
