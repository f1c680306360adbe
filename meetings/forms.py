"""Forms of the «ثبت جلسه» and «ویرایش جلسه» pages: the meeting and its inline row formsets.

Editing (``MeetingLogForms(..., meeting=m)``) offers exactly what ``services.meeting_update``
changes: the meeting's own fields, participants, attendances, agenda and decisions (each list
replaced as a whole); not the status, the linked agreements or the action items.

The forms only read what was typed; every rule is checked by ``meetings.services``, whose
errors (keyed ``<section>.<index>.<field>``) are put back next to the fields here.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseFormSet, formset_factory
from django.urls import reverse

from agreements.selectors import agreement_list_for_user
from organizations.choices import Role
from organizations.models import Organization
from organizations.organization_create import may_create_organizations
from organizations.scoping import org_scope_for_user
from organizations.selectors import person_list_for_user
from tracker import limits
from tracker.forms import LimitedCharField, PersianIntegerField
from tracker.jalali import (
    TEHRAN,
    JalaliDateError,
    format_date,
    format_time,
    parse_datetime,
    to_tehran,
)
from tracker.jalali.forms import JalaliDateField, JalaliDateTimeField
from tracker.text import normalize, to_persian_digits

from .choices import AttendanceRole, AttendanceStatus, MeetingKind, MeetingStatus
from .models import Meeting
from .selectors import series_list_for_user
from .services import (
    MEETING_FIELDS,
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    StatementInput,
)

TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 2})


def _active_organizations() -> Any:
    return Organization.objects.filter(is_active=True).order_by("name")


class Choices:
    """The people and organisations offered in every row, read once per page (a select per
    row would otherwise run one query per row)."""

    def __init__(self, user: Any) -> None:
        empty = [("", "---------")]
        people = list(person_list_for_user(user=user).order_by("full_name", "id"))
        self.people = empty + [
            (
                p.pk,
                f"{p.full_name} ({p.position_title}، {p.organization.name})"
                if p.position_title
                else f"{p.full_name} ({p.organization.name})",
            )
            for p in people
        ]
        # What choosing a person fills in their row (static/js/meeting-form-widgets.js).
        self.person_details = {
            str(p.pk): {"title": p.position_title, "organization": p.organization_id}
            for p in people
        }
        self.organizations = empty + [(o.pk, o.name) for o in _active_organizations()]


def _use_choices(form: forms.Form, name: str, queryset: Any, choices: list[Any]) -> None:
    field = form.fields[name]
    field.queryset = queryset  # type: ignore[attr-defined]  # validation looks rows up here
    field.widget.choices = choices  # type: ignore[attr-defined]  # rendering reads no rows


# «۱۲:۰۰», «12:00», «ساعت ۱۲», «ساعت ۱۲:۳۰», «۱۲٫۳۰» (after normalize: Latin digits).
_TIME_ONLY_RE = re.compile(r"(?:ساعت\s*)?(?P<h>\d{1,2})(?:\s*[:٫.]\s*(?P<m>\d{1,2}))?")


class EndField(forms.Field):
    """The end of a meeting: a time alone («۱۲:۰۰», «ساعت ۱۲»), taken on the start's day in
    Tehran (see :meth:`MeetingForm.clean`), or a full Jalali date and time. ``to_python``
    gives a ``time`` for the first, an aware ``datetime`` for the second."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "placeholder": "۱۲:۰۰"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime | time):
            return value
        typed = str(value).strip()
        shown = to_persian_digits(typed)
        if m := _TIME_ONLY_RE.fullmatch(normalize(typed)):
            hour, minute = int(m["h"]), int(m["m"] or 0)
            if hour > 23 or minute > 59:
                raise ValidationError(
                    f"«{shown}» ساعت درستی نیست: ساعت از ۰ تا ۲۳ و دقیقه از ۰ تا ۵۹ است.",
                    code="invalid",
                )
            return time(hour, minute)
        try:
            return parse_datetime(typed)
        except JalaliDateError as exc:
            raise ValidationError(
                f"«{shown}» نه ساعت است نه تاریخ و ساعت؛ ساعت پایان را مثل ۱۲:۰۰ یا "
                f"تاریخ و ساعت را مثل ۱۳۹۹/۰۵/۱۱ ۱۲:۰۰ بنویسید. "
                f"({to_persian_digits(exc.message)})",
                code="invalid",
            ) from exc


class MeetingForm(forms.Form):
    title = forms.CharField(label="عنوان جلسه", max_length=300)
    kind = forms.ChoiceField(label="نوع جلسه", choices=MeetingKind.choices)
    status = forms.ChoiceField(
        label="وضعیت",
        choices=[
            (MeetingStatus.HELD, MeetingStatus.HELD.label),
            (MeetingStatus.PLANNED, MeetingStatus.PLANNED.label),
        ],
    )
    start = JalaliDateTimeField(label="تاریخ و ساعت شروع")
    end = EndField(
        label="پایان (ساعت یا تاریخ و ساعت)",
        required=False,
        help_text="فقط ساعت (مثلاً ۱۲:۰۰) یعنی همان روز شروع.",
    )
    location = forms.CharField(label="محل", max_length=300, required=False)
    host = forms.ModelChoiceField(label="سازمان میزبان", queryset=Organization.objects.none())
    participants = forms.ModelMultipleChoiceField(
        label="سازمان‌های شرکت‌کننده دیگر",
        queryset=Organization.objects.none(),
        required=False,
        help_text="سازمان حاضران خودبه‌خود افزوده می‌شود.",
    )
    series = forms.ModelChoiceField(
        label="سلسله جلسات", queryset=Organization.objects.none(), required=False
    )
    new_series_title = forms.CharField(label="یا سلسله تازه", max_length=300, required=False)
    agreements = forms.ModelMultipleChoiceField(
        label="تفاهم‌نامه‌های مرتبط", queryset=Organization.objects.none(), required=False
    )
    minutes = forms.CharField(label="متن صورتجلسه", widget=forms.Textarea, required=False)
    notes = LimitedCharField(
        label="یادداشت", widget=TEXTAREA_SMALL, required=False, max_length=limits.MEETING_NOTES
    )
    source_publication = forms.CharField(label="منبع: نشریه", max_length=200, required=False)
    source_issue = forms.CharField(label="منبع: شماره", max_length=50, required=False)
    source_page = forms.CharField(label="منبع: صفحه", max_length=100, required=False)
    source_date = JalaliDateField(label="منبع: تاریخ", required=False)
    source_url = forms.URLField(
        label="منبع: پیوند", max_length=500, required=False, assume_scheme="https"
    )

    # Only «ثبت جلسه» sets these; ``meeting_update`` does not change them.
    LOG_ONLY_FIELDS = ("status", "new_series_title")

    def __init__(self, *args: Any, user: Any, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if edit:
            for name in self.LOG_ONLY_FIELDS:
                del self.fields[name]
        scope = org_scope_for_user(user)
        hosts = _active_organizations()
        if not scope.everything:
            hosts = hosts.filter(pk__in=sorted(scope.ids_with_role(Role.STAFF)))
        self.fields["host"].queryset = hosts  # type: ignore[attr-defined]
        self.fields["participants"].queryset = _active_organizations()  # type: ignore[attr-defined]
        self.fields["series"].queryset = series_list_for_user(user=user)  # type: ignore[attr-defined]
        agreements = agreement_list_for_user(user=user)
        self.fields["agreements"].queryset = agreements  # type: ignore[attr-defined]
        if not edit and hosts.count() == 1 and not self.is_bound:
            self.initial.setdefault("host", hosts.first())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end, start = data.get("end"), data.get("start")
        if isinstance(end, time):
            if start is None:
                # The start has its own error; the end cannot be placed without it.
                data.pop("end", None)
            else:
                data["end"] = datetime.combine(to_tehran(start).date(), end, tzinfo=TEHRAN)
        return data


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
        _use_choices(self, "person", person_list_for_user(user=user), choices.people)
        _use_choices(self, "organization", _active_organizations(), choices.organizations)


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
        _use_choices(self, "owner_person", person_list_for_user(user=user), choices.people)
        _use_choices(self, "owner_organization", _active_organizations(), choices.organizations)


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


def _end_initial(meeting: Meeting) -> str:
    """The end as the form reads it back: a time on the start's day, else date and time."""
    if meeting.end is None:
        return ""
    end = to_tehran(meeting.end)
    if end.date() == to_tehran(meeting.start).date():
        return format_time(end)
    return f"{format_date(end)} {format_time(end)}"


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    """The meeting form prefilled; reads the lists ``meeting_get_for_user`` prefetched."""
    initial: dict[str, Any] = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    initial["host"] = meeting.host_id
    initial["series"] = meeting.series_id
    initial["end"] = _end_initial(meeting)
    # The chosen organisations only: the service adds attendees' organisations itself.
    attending = {a.organization_id for a in meeting.attendances.all()}
    initial["participants"] = [o.pk for o in meeting.participants.all() if o.pk not in attending]
    # Only the links the user can see (prefetched as ``visible_agreements``).
    initial["agreements"] = [a.pk for a in getattr(meeting, "visible_agreements", [])]
    return initial


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


SECTIONS = ("attendances", "agenda_items", "decisions", "statements", "action_items")
# Service field names that the form spells differently (1-based numbers for people).
FIELD_ALIASES = {
    "agenda_index": "agenda_number",
    "decision_index": "decision_number",
    "speaker_index": "speaker_number",
}


class MeetingLogForms:
    """The meeting form and its formsets, bound together. With ``meeting`` it edits that
    meeting (prefilled; what ``services.meeting_update`` supports), else it logs a new one."""

    def __init__(self, data: Any | None, *, user: Any, meeting: Meeting | None = None) -> None:
        self.user = user
        self.choices = Choices(user)
        row_kwargs = {"user": user, "choices": self.choices}
        self.instance = meeting
        self.editing = meeting is not None
        if meeting is None:
            self.meeting = MeetingForm(data, user=user)
            self.formsets: dict[str, BaseFormSet[Any]] = {
                "attendances": AttendanceFormSet(
                    data, prefix="attendances", form_kwargs=row_kwargs
                ),
                "agenda_items": AgendaItemFormSet(data, prefix="agenda_items"),
                "decisions": DecisionFormSet(data, prefix="decisions"),
                "statements": StatementFormSet(data, prefix="statements"),
                "action_items": ActionItemFormSet(
                    data, prefix="action_items", form_kwargs=row_kwargs
                ),
            }
        else:
            rows = rows_initial(meeting)
            self.meeting = MeetingForm(data, user=user, edit=True, initial=meeting_initial(meeting))
            self.formsets = {
                "attendances": AttendanceEditFormSet(
                    data,
                    prefix="attendances",
                    form_kwargs=row_kwargs,
                    initial=rows["attendances"],
                ),
                "agenda_items": AgendaItemEditFormSet(
                    data, prefix="agenda_items", initial=rows["agenda_items"]
                ),
                "decisions": DecisionEditFormSet(
                    data, prefix="decisions", initial=rows["decisions"]
                ),
                "statements": StatementEditFormSet(
                    data, prefix="statements", initial=rows["statements"]
                ),
            }
        if data is not None and "statements-TOTAL_FORMS" not in data:
            # A form posted without the statements section (a page loaded before it
            # existed, a script): no statements are sent, so the current ones stay.
            del self.formsets["statements"]
        # Position in the list handed to the service -> the form it came from.
        self.positions: dict[str, list[int]] = {name: [] for name in SECTIONS}

    @property
    def media(self) -> Any:
        return self.meeting.media

    @property
    def widget_data(self) -> dict[str, Any]:
        """What static/js/meeting-form-widgets.js reads (a json_script block): each person's
        title and organisation, and where the «سازمان تازه» dialog posts (None: the user
        may not create organisations)."""
        may_create = may_create_organizations(self.user)
        return {
            "people": self.choices.person_details,
            "organizationCreateUrl": reverse("organizations:organization_create")
            if may_create
            else None,
        }

    def is_valid(self) -> bool:
        valid = self.meeting.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    def _rows(self, name: str) -> list[dict[str, Any]]:
        """The filled rows of a section; of an invalid form, the fields that parsed
        (``cleaned_data`` of an invalid form holds exactly those)."""
        rows = []
        self.positions[name] = []
        formset = self.formsets[name]
        prefilled = formset.initial_form_count() if self.editing else 0
        for i, form in enumerate(formset.forms):
            if not hasattr(form, "cleaned_data"):
                continue  # the formset's management form was wrong: no row was read
            if formset.can_delete and form.cleaned_data.get("DELETE"):
                continue
            # A prefilled row is kept even when untouched (the lists replace the old ones).
            if (i < prefilled or form.has_changed()) and form.cleaned_data:
                row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
                rows.append(row)
                self.positions[name].append(i)
        return rows

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.meeting.cleaned_data)
        data["participants"] = list(data["participants"])
        data["agreements"] = list(data["agreements"])
        for key in ("location", "minutes", "notes", "new_series_title", "source_url"):
            data[key] = data.get(key) or ""
        data.update(self._row_lists())
        data["action_items"] = [
            ActionItemInput(
                description=row["description"],
                due_date=row["due_date"],
                owner_person=row.get("owner_person"),
                owner_organization=row.get("owner_organization"),
                decision_index=row["decision_number"] - 1 if row.get("decision_number") else None,
            )
            for row in self._rows("action_items")
        ]
        return data

    def _row_lists(self) -> dict[str, Any]:
        """The attendances, agenda items, decisions and statements of the formsets, as
        service inputs (the same for logging a meeting and for editing one)."""
        lists: dict[str, Any] = {
            "attendances": [
                AttendanceInput(
                    **{
                        **{k: v for k, v in row.items() if v is not None},
                        "head_count": row.get("head_count"),
                    }
                )
                for row in self._rows("attendances")
            ],
            "agenda_items": [
                AgendaItemInput(**{"title": "", **row}) for row in self._rows("agenda_items")
            ],
            "decisions": [
                DecisionInput(
                    text=row.get("text") or "",
                    agenda_index=row["agenda_number"] - 1 if row.get("agenda_number") else None,
                )
                for row in self._rows("decisions")
            ],
        }
        if "statements" in self.formsets:
            lists["statements"] = [
                StatementInput(
                    text=row["text"],
                    speaker_index=row["speaker_number"] - 1 if row.get("speaker_number") else None,
                )
                for row in self._rows("statements")
            ]
        return lists

    def update_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``services.meeting_update``: the meeting fields that changed
        (so the audit row names them), the participants and the three lists, replaced."""
        if self.instance is None:
            raise RuntimeError("update_kwargs needs the meeting being edited")
        cleaned = self.meeting.cleaned_data
        data: dict[str, Any] = {}
        for name in MEETING_FIELDS:
            value = cleaned.get(name)
            if value is None and name in ("location", "minutes", "notes", "source_url"):
                value = ""
            if value != getattr(self.instance, name):
                data[name] = value
        data["participants"] = list(cleaned["participants"])
        data["agreements"] = list(cleaned["agreements"])
        data.update(self._row_lists())
        return data

    def partial_service_kwargs(self) -> dict[str, Any]:
        """What parsed of an invalid submission, as ``services.meeting_log_errors`` takes
        it: a field that did not parse is missing (it has its own error already)."""
        data = {
            k: v
            for k, v in self.meeting.cleaned_data.items()
            if k in self.meeting.fields and v is not None
        }
        for key in ("participants", "agreements"):
            data[key] = list(data.get(key) or [])
        data.update(self._row_lists())
        data["action_items"] = [
            ActionItemInput(
                description=row.get("description") or "",
                due_date=row.get("due_date"),  # type: ignore[arg-type]  # None: not parsed
                owner_person=row.get("owner_person"),
                owner_organization=row.get("owner_organization"),
                decision_index=row["decision_number"] - 1 if row.get("decision_number") else None,
            )
            for row in self._rows("action_items")
        ]
        return data

    def add_service_errors(self, error: ValidationError, *, only_new: bool = False) -> None:
        """Put each service error next to the field it names. ``only_new``: skip a field
        (or row) that already has an error of the form, so one mistake is said once."""
        for key, messages in error.message_dict.items():
            section, _, rest = key.partition(".")
            if section in self.formsets and rest:
                index_text, _, field = rest.partition(".")
                positions = self.positions[section]
                index = int(index_text)
                form_index = positions[index] if index < len(positions) else None
                if form_index is None:
                    self.meeting.add_error(None, messages)
                    continue
                form = self.formsets[section].forms[form_index]
                field = FIELD_ALIASES.get(field, field)
                target = field if field in form.fields else None
                if only_new and form.errors.get(target or NON_FIELD_ERRORS):
                    continue
                form.add_error(target, messages)
            elif key in self.meeting.fields:
                if only_new and self.meeting.errors.get(key):
                    continue
                self.meeting.add_error(key, messages)
            else:
                self.meeting.add_error(None, messages)

    def has_errors(self) -> bool:
        return bool(self.meeting.errors) or any(
            any(f.errors for f in fs.forms) or fs.non_form_errors() for fs in self.formsets.values()
        )
