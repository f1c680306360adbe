"""Writing the nested rows of a meeting (attendance, agenda, decisions, action items), its
participants and its audit events: the shared steps of logging and editing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from notifications.services import reminders_refresh
from organizations.models import Organization
from organizations.services import person_create
from tracker.text import standardize

from ..models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingEvent,
    Statement,
)
from .inputs import (
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    StatementInput,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def record_event(
    meeting: Meeting,
    kind: str,
    actor: User,
    *,
    action_item: ActionItem | None = None,
    **data: Any,
) -> None:
    MeetingEvent.objects.create(
        meeting=meeting,
        action_item=action_item,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data,
    )


def write_attendances(
    actor: User, meeting: Meeting, rows: Sequence[AttendanceInput]
) -> list[Attendance]:
    created = []
    for i, row in enumerate(rows):
        person = row.person
        if row.new_person_name.strip():
            try:
                person = person_create(
                    actor=actor,
                    full_name=row.new_person_name,
                    position_title=row.position_title,
                    organization=row.organization,
                )
            except ValidationError as exc:
                raise ValidationError({f"attendances.{i}.new_person_name": exc.messages}) from exc
        organization = row.organization or (person.organization if person else None)
        title = standardize(row.position_title) or (person.position_title if person else "")
        created.append(
            Attendance(
                meeting=meeting,
                person=person,
                group_label="" if person else standardize(row.group_label),
                head_count=row.head_count,
                organization=organization,
                position_title=title,
                role=row.role,
                status=row.status,
                order=i,
            )
        )
    for attendance in created:
        attendance.full_clean(exclude=["meeting", "person", "organization"])
    return Attendance.objects.bulk_create(created)


def sync_participants(meeting: Meeting, explicit: Sequence[Organization]) -> None:
    """Participants are the chosen organisations plus every attendee's organisation plus
    every action-item owner's organisation (see :func:`add_owner_participants`)."""
    ids = {o.pk for o in explicit}
    ids |= set(meeting.attendances.values_list("organization_id", flat=True))
    for org_id, person_org_id in meeting.action_items.values_list(
        "owner_organization_id", "owner_person__organization_id"
    ):
        ids |= {org_id, person_org_id} - {None}
    ids.discard(meeting.host_id)
    meeting.participants.set(sorted(ids))


def add_owner_participants(meeting: Meeting, rows: Sequence[ActionItem]) -> None:
    """An action item's owner organisation, and its owner person's organisation, take part
    in the meeting: the owner is reminded of the item (its text and a link to the meeting),
    so the owner must see the meeting. Same rule as attendees' organisations. Call before
    ``reminders_refresh`` of the items."""
    ids: set[int] = set()
    for row in rows:
        if row.owner_organization is not None:
            ids.add(row.owner_organization.pk)
        if row.owner_person is not None:
            ids.add(row.owner_person.organization_id)
    ids.discard(meeting.host_id)
    if ids:
        meeting.participants.add(*sorted(ids))


def write_agenda(meeting: Meeting, rows: Sequence[AgendaItemInput]) -> list[AgendaItem]:
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, title=standardize(r.title), description=r.description)
        for i, r in enumerate(rows)
    )


def write_decisions(
    meeting: Meeting, rows: Sequence[DecisionInput], agenda: Sequence[AgendaItem]
) -> list[Decision]:
    return Decision.objects.bulk_create(
        Decision(
            meeting=meeting,
            order=i,
            text=r.text.strip(),
            agenda_item=agenda[r.agenda_index] if r.agenda_index is not None else None,
        )
        for i, r in enumerate(rows)
    )


def write_statements(
    meeting: Meeting, rows: Sequence[StatementInput], attendances: Sequence[Attendance]
) -> list[Statement]:
    """The statements in order, each speaker an attendance of this meeting (by position)."""
    return Statement.objects.bulk_create(
        Statement(
            meeting=meeting,
            order=i,
            text=r.text.strip(),
            speaker=attendances[r.speaker_index] if r.speaker_index is not None else None,
        )
        for i, r in enumerate(rows)
    )


Speaker = tuple[int | None, str]


def _identity(attendance: Attendance) -> Speaker:
    person = attendance.person_id
    return (person, "" if person else " ".join(attendance.group_label.split()))


def statements_capture(meeting: Meeting) -> list[tuple[Speaker | None, str]]:
    """The current statements, each speaker as who it is (person or group label) rather than
    as a row: the rows are about to be replaced."""
    return [
        (_identity(st.speaker) if st.speaker is not None else None, st.text)
        for st in meeting.statements.select_related("speaker").order_by("order")
    ]


def statements_remap(
    captured: Sequence[tuple[Speaker | None, str]], attendances: Sequence[Attendance]
) -> list[StatementInput]:
    """Captured statements against the new attendance rows: the same person or group label
    speaks again; a speaker no longer present becomes unknown rather than someone else."""
    position: dict[Speaker, int] = {}
    for i, attendance in enumerate(attendances):
        position.setdefault(_identity(attendance), i)
    return [
        StatementInput(text=text, speaker_index=position.get(who) if who else None)
        for who, text in captured
    ]


def write_action_items(
    actor: User,
    meeting: Meeting,
    rows: Sequence[ActionItemInput],
    decisions: Sequence[Decision],
) -> list[ActionItem]:
    items = ActionItem.objects.bulk_create(
        ActionItem(
            meeting=meeting,
            decision=decisions[r.decision_index] if r.decision_index is not None else None,
            description=r.description.strip(),
            owner_person=r.owner_person,
            owner_organization=r.owner_organization,
            due_date=r.due_date,
            agreement=r.agreement,
        )
        for r in rows
    )
    add_owner_participants(meeting, items)
    for item in items:
        reminders_refresh(target=item)
    return items


def lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("host").get(pk=meeting.pk)
