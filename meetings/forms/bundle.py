"""The meeting form and its row formsets bound together (``MeetingLogForms``): what the
pages hand to ``services.meeting_log`` / ``meeting_update`` and how service errors go back
next to the fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseFormSet
from django.urls import reverse

from organizations.organization_create import may_create_organizations

from ..models import Meeting
from ..services import (
    MEETING_FIELDS,
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    StatementInput,
)
from .meeting import MeetingForm, meeting_initial
from .rows import (
    ActionItemFormSet,
    AgendaItemEditFormSet,
    AgendaItemFormSet,
    AttendanceEditFormSet,
    AttendanceFormSet,
    DecisionEditFormSet,
    DecisionFormSet,
    StatementEditFormSet,
    StatementFormSet,
    rows_initial,
)
from .widgets import Choices

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

    def partial_update_kwargs(self) -> dict[str, Any]:
        """What parsed of an invalid edit, as ``services.meeting_update_errors`` takes it:
        the meeting fields that parsed (a field that did not is missing: the current value
        stands in) and the lists, of the rows' fields that parsed."""
        cleaned = self.meeting.cleaned_data
        data: dict[str, Any] = {
            name: cleaned[name]
            for name in MEETING_FIELDS
            if name in cleaned and name not in self.meeting.errors
        }
        for name in ("location", "minutes", "notes", "source_url"):
            if name in data and data[name] is None:
                data[name] = ""
        for name in ("participants", "agreements"):
            if name in cleaned and name not in self.meeting.errors:
                data[name] = list(cleaned[name])
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
