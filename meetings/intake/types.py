"""The typed result of reading a report: every reading has a confidence and a source span.

Spans are ``(start, end)`` offsets into the text exactly as it was given (not the folded
copy the readers search), so a page can highlight ``text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

Span = tuple[int, int]

#: Organisation kinds, spelled as ``organizations.choices.OrganizationKind`` values; the
#: reader may not import Django, so a test checks that the two stay the same.
MUNICIPALITY = "municipality"
INDUSTRIAL_ESTATE = "industrial_estate"
ESTATES_COMPANY = "estates_company"
GOVERNMENT = "government"
OTHER = "other"


@dataclass(frozen=True)
class DateReading:
    """A date or an aware datetime (Asia/Tehran) read from the text."""

    value: date | datetime
    confidence: float
    span: Span
    relative: bool = False
    weekday_checked: bool | None = None


@dataclass(frozen=True)
class PlaceReading:
    text: str
    confidence: float
    span: Span


@dataclass(frozen=True)
class OrganisationReading:
    """An organisation: ``matched_id`` from the directory, or ``None`` when proposed as new."""

    name: str
    kind: str
    matched_id: int | None
    confidence: float
    span: Span

    @property
    def is_new(self) -> bool:
        return self.matched_id is None


@dataclass(frozen=True)
class PersonReading:
    name: str
    honorific: str
    title: str
    organisation: OrganisationReading | None
    matched_id: int | None
    confidence: float
    span: Span

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class GroupReading:
    label: str
    organisation: OrganisationReading | None
    confidence: float
    span: Span


@dataclass(frozen=True)
class StatementReading:
    """What one speaker said; ``speaker`` indexes ``ReportReading.people`` (or is ``None``)."""

    speaker: int | None
    text: str
    verb: str
    confidence: float
    span: Span


@dataclass(frozen=True)
class DecisionReading:
    text: str
    due: date | None
    owner_organisation: OrganisationReading | None
    owner_person: int | None
    confidence: float
    span: Span


@dataclass(frozen=True)
class PublicationReading:
    paper: str
    issue: str
    page: str
    published_on: date | None
    confidence: float
    span: Span


@dataclass(frozen=True)
class SignedReading:
    signed: bool
    mou_title: str
    confidence: float
    span: Span


@dataclass(frozen=True)
class ReviewItem:
    """Something uncertain for a person to check: the field, a Persian message, the span."""

    field: str
    message: str
    span: Span


@dataclass
class ReportReading:
    report_date: DateReading | None = None
    meeting_start: DateReading | None = None
    place: PlaceReading | None = None
    organisations: list[OrganisationReading] = field(default_factory=list)
    people: list[PersonReading] = field(default_factory=list)
    groups: list[GroupReading] = field(default_factory=list)
    statements: list[StatementReading] = field(default_factory=list)
    decisions: list[DecisionReading] = field(default_factory=list)
    publication: PublicationReading | None = None
    signed: SignedReading | None = None
    review: list[ReviewItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing was read: the API answers a Persian 400 for such a text."""
        return not (
            self.meeting_start
            or self.place
            or self.organisations
            or self.people
            or self.statements
            or self.decisions
        )
