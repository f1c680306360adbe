"""Forms of the organizations app."""

from django import forms

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
