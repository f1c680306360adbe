"""The row forms of a meeting (attendances, agenda, decisions, statements, action items),
their formsets, and the rows of an existing meeting as initial values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from organizations.models import Organization
from organizations.selectors import person_list_for_user
from tracker import limits
from tracker.forms import LimitedCharField, PersianIntegerField
from tracker.jalali.forms import JalaliDateField

from ..choices import AttendanceRole, AttendanceStatus
from ..models import Meeting
from .widgets import TEXTAREA_SMALL, Choices, active_organizations, use_choices


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(
        label="شخص ثبت‌شده", queryset=Organization.objects.none(), required=False
    )
    new_person_name = forms.CharField(label="یا نام شخص تازه", max_length=200, required=False)
    group_label = forms.CharField(label="یا عنوان گروه", max_length=300, required=False)
    organization = forms.ModelChoiceField(
        label="سازمان", queryset=Organization.objects.none(), required=False
    )
    position_title = forms.CharField(label="سمت در این جلسه", max_length=255, required=False)
    head_count = PersianIntegerField(
        label="تعداد نفرات", min_value=1, max_value=limits.HEAD_COUNT, required=False
    )
    role = forms.ChoiceField(label="نقش", choices=AttendanceRole.choices, initial="member")
    status = forms.ChoiceField(label="حضور", choices=AttendanceStatus.choices, initial="present")

    def __init__(self, *args: Any, user: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_choices(self, "person", person_list_for_user(user=user), choices.people)
        use_choices(self, "organization", active_organizations(), choices.organizations)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="موضوع", max_length=500)
    description = LimitedCharField(
        label="توضیح", widget=TEXTAREA_SMALL, required=False, max_length=limits.AGENDA_DESCRIPTION
    )


class DecisionForm(forms.Form):
    text = LimitedCharField(label="مصوبه", widget=TEXTAREA_SMALL, max_length=limits.DECISION_TEXT)
    agenda_number = PersianIntegerField(label="شماره بند دستور جلسه", min_value=1, required=False)


class StatementForm(forms.Form):
    text = LimitedCharField(label="سخن", widget=TEXTAREA_SMALL, max_length=limits.STATEMENT_TEXT)
    speaker_number = PersianIntegerField(
        label="شماره ردیف گوینده در حاضران", min_value=1, required=False
    )


class ActionItemForm(forms.Form):
    description = LimitedCharField(
        label="شرح اقدام", widget=TEXTAREA_SMALL, max_length=limits.ACTION_DESCRIPTION
    )
    owner_person = forms.ModelChoiceField(
        label="مسئول (شخص)", queryset=Organization.objects.none(), required=False
    )
    owner_organization = forms.ModelChoiceField(
        label="مسئول (سازمان)", queryset=Organization.objects.none(), required=False
    )
    due_date = JalaliDateField(label="مهلت")
    decision_number = PersianIntegerField(label="شماره مصوبه", min_value=1, required=False)

    def __init__(self, *args: Any, user: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_choices(self, "owner_person", person_list_for_user(user=user), choices.people)
        use_choices(self, "owner_organization", active_organizations(), choices.organizations)


class EditRowsFormSet(BaseFormSet):  # type: ignore[type-arg]  # not generic at runtime
    """The rows of an existing meeting: each prefilled row has a «حذف ردیف» box."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "حذف ردیف"


AttendanceFormSet = formset_factory(AttendanceForm, extra=1)
AgendaItemFormSet = formset_factory(AgendaItemForm, extra=1)
DecisionFormSet = formset_factory(DecisionForm, extra=1)
StatementFormSet = formset_factory(StatementForm, extra=1)
ActionItemFormSet = formset_factory(ActionItemForm, extra=1)


def _edit_formset(form: type[forms.Form]) -> Any:
    return formset_factory(
        form, formset=EditRowsFormSet, extra=1, can_delete=True, can_delete_extra=False
    )


AttendanceEditFormSet = _edit_formset(AttendanceForm)
AgendaItemEditFormSet = _edit_formset(AgendaItemForm)
DecisionEditFormSet = _edit_formset(DecisionForm)
StatementEditFormSet = _edit_formset(StatementForm)


def rows_initial(meeting: Meeting) -> dict[str, list[dict[str, Any]]]:
    agenda = list(meeting.agenda_items.all())
    agenda_numbers = {item.pk: i + 1 for i, item in enumerate(agenda)}
    rows = {a.pk: i + 1 for i, a in enumerate(meeting.attendances.all())}
    return {
        "attendances": [
            {
                "person": a.person_id,
                "group_label": a.group_label,
                "organization": a.organization_id,
                "position_title": a.position_title,
                "head_count": a.head_count,
                "role": a.role,
                "status": a.status,
            }
            for a in meeting.attendances.all()
        ],
        "agenda_items": [{"title": a.title, "description": a.description} for a in agenda],
        "decisions": [
            {
                "text": d.text,
                "agenda_number": agenda_numbers.get(d.agenda_item_id) if d.agenda_item_id else None,
            }
            for d in meeting.decisions.all()
        ],
        "statements": [
            {
                "text": st.text,
                "speaker_number": rows.get(st.speaker_id) if st.speaker_id else None,
            }
            for st in meeting.statements.all()
        ],
    }
