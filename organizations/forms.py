"""Forms of the organizations app."""

from typing import Any

from django import forms

from .choices import OrganizationKind
from .models import Organization, Person


class PersonForm(forms.ModelForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True), label="سازمان"
    )

    class Meta:
        model = Person
        fields = ("full_name", "position_title", "organization", "phone", "email")

    def _post_clean(self) -> None:
        # Validation of the model is the service's job (it also normalises the name);
        # the form only checks the fields a person typed.
        return


class OrganizationForm(forms.Form):
    """«سازمان تازه»: what ``services.organization_create`` takes. The parent is offered
    among the organisations where the user is admin (the service's rule for a child)."""

    name = forms.CharField(label="نام", max_length=255)
    kind = forms.ChoiceField(label="نوع", choices=OrganizationKind.choices)
    province = forms.CharField(label="استان", max_length=100, required=False)
    county = forms.CharField(label="شهرستان", max_length=100, required=False)
    city = forms.CharField(label="شهر", max_length=100, required=False)
    parent = forms.ModelChoiceField(
        label="سازمان بالادست",
        queryset=Organization.objects.none(),
        required=False,
        help_text="خالی: سازمان مستقل. زیرمجموعه فقط زیر سازمانی که در آن مدیر سامانه‌اید.",
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
