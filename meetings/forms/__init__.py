"""Forms of the meeting pages, by seam: the meeting's own form (``meeting``), the row forms
and formsets (``rows``), both bound together for «ثبت جلسه» / «ویرایش جلسه» (``bundle``),
the shared choices and fields (``widgets``), and «ثبت از روی متن» (``intake``).

Editing (``MeetingLogForms(..., meeting=m)``) offers exactly what ``services.meeting_update``
changes: the meeting's own fields, participants, attendances, agenda and decisions (each list
replaced as a whole); not the status or the action items.

The forms only read what was typed; every rule is checked by ``meetings.services``, whose
errors (keyed ``<section>.<index>.<field>``) are put back next to the fields here.
"""

from .bundle import FIELD_ALIASES, SECTIONS, MeetingLogForms
from .intake import FromTextForm
from .meeting import MeetingForm, meeting_initial
from .rows import (
    ActionItemForm,
    ActionItemFormSet,
    AgendaItemEditFormSet,
    AgendaItemForm,
    AgendaItemFormSet,
    AttendanceEditFormSet,
    AttendanceForm,
    AttendanceFormSet,
    DecisionEditFormSet,
    DecisionForm,
    DecisionFormSet,
    EditRowsFormSet,
    StatementEditFormSet,
    StatementForm,
    StatementFormSet,
    rows_initial,
)
from .widgets import TEXTAREA_SMALL, Choices, EndField, active_organizations, use_choices

__all__ = [
    "FIELD_ALIASES",
    "SECTIONS",
    "TEXTAREA_SMALL",
    "ActionItemForm",
    "ActionItemFormSet",
    "AgendaItemEditFormSet",
    "AgendaItemForm",
    "AgendaItemFormSet",
    "AttendanceEditFormSet",
    "AttendanceForm",
    "AttendanceFormSet",
    "Choices",
    "DecisionEditFormSet",
    "DecisionForm",
    "DecisionFormSet",
    "EditRowsFormSet",
    "EndField",
    "FromTextForm",
    "MeetingForm",
    "MeetingLogForms",
    "StatementEditFormSet",
    "StatementForm",
    "StatementFormSet",
    "active_organizations",
    "meeting_initial",
    "rows_initial",
    "use_choices",
]
