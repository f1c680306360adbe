"""What the meeting services take: one dataclass per nested row, and the editable fields.

Errors of nested rows are keyed ``<section>.<index>.<field>`` (0-based, the order the rows
were given in), e.g. ``attendances.1.person``: the API returns them as they are and the
«ثبت جلسه» form puts each next to its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from organizations.models import Organization, Person

from ..choices import AttendanceRole, AttendanceStatus

if TYPE_CHECKING:
    from agreements.models import Agreement


Errors = dict[str, list[str]]


@dataclass
class AttendanceInput:
    """One row of attendance: exactly one of ``person``, ``new_person_name``, ``group_label``."""

    person: Person | None = None
    new_person_name: str = ""
    group_label: str = ""
    organization: Organization | None = None
    position_title: str = ""
    head_count: int | None = None
    role: str = AttendanceRole.MEMBER
    status: str = AttendanceStatus.PRESENT


@dataclass
class AgendaItemInput:
    title: str
    description: str = ""


@dataclass
class DecisionInput:
    text: str
    agenda_index: int | None = None  # 0-based position in the agenda given with it


@dataclass
class StatementInput:
    text: str
    speaker_index: int | None = None  # 0-based position in the attendances given with it


@dataclass
class ActionItemInput:
    description: str
    due_date: date
    owner_person: Person | None = None
    owner_organization: Organization | None = None
    decision_index: int | None = None  # 0-based position in the decisions given with it
    agreement: Agreement | None = None


MEETING_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "location",
    "host",
    "series",
    "minutes",
    "notes",
    "source_publication",
    "source_issue",
    "source_page",
    "source_date",
    "source_url",
)

#: Names stored in the standard Persian spelling (tracker.persian.standardize).
STANDARD_TEXT_FIELDS = ("title", "location", "source_publication")
