"""Editing a planned or held meeting: its fields, replaced row lists and agreement links,
in one transaction that locks the meeting, checks the actor's role and audits itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from notifications.choices import RuleCode
from notifications.services import reminders_dispatch_now, reminders_refresh
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import require_role
from tracker.exceptions import ApplicationError, ConflictError
from tracker.text import standardize

from ..choices import EDITABLE_STATUSES, MeetingEventKind, MeetingStatus
from ..models import AgendaItem, Decision, Meeting
from .inputs import (
    MEETING_FIELDS,
    STANDARD_TEXT_FIELDS,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    StatementInput,
)
from .lifecycle import confirm_locked
from .rows import (
    lock_meeting,
    record_event,
    statements_capture,
    statements_remap,
    sync_participants,
    write_attendances,
    write_statements,
)
from .update_errors import meeting_update_errors, merged_fields
from .validation import (
    visible_agreement_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from agreements.models import Agreement


def _require_editable(meeting: Meeting) -> None:
    # The meeting's state refuses the edit: 409, like every state conflict.
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ConflictError(
            "صورتجلسه این جلسه تأیید شده است؛ صورتجلسه، حاضران و مصوبات دیگر تغییر نمی‌کنند. "
            "برای اصلاح، الحاقیه ثبت کنید.",
            field="status",
        )
    if meeting.status not in EDITABLE_STATUSES:
        raise ConflictError("این جلسه لغو شده است و ویرایش نمی‌شود.", field="status")


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    participants: Sequence[Organization] | None = None,
    attendances: Sequence[AttendanceInput] | None = None,
    agenda_items: Sequence[AgendaItemInput] | None = None,
    decisions: Sequence[DecisionInput] | None = None,
    statements: Sequence[StatementInput] | None = None,
    confirm_review: bool = False,
    agreements: Sequence[Agreement] | None = None,
    **fields: Any,
) -> Meeting:
    """Change a planned or held meeting. A list given replaces the current one; ``None``
    keeps it. Decisions that already have action items cannot be removed. Statements
    given name their speakers by position in the attendances given (or the current ones);
    kept statements follow their speaker into replaced attendances. ``confirm_review``
    also confirms a meeting read from a report (as :func:`meeting_confirm`), in the same
    transaction: «ذخیره و تأیید» of the review form.

    ``agreements`` replaces the linked agreements *the actor can see*: links to agreements
    hidden from them (another organisation's draft) are neither shown nor removed."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _require_editable(meeting)
    errors = meeting_update_errors(
        actor=actor,
        meeting=meeting,
        participants=participants,
        attendances=attendances,
        agenda_items=agenda_items,
        decisions=decisions,
        statements=statements,
        agreements=agreements,
        **fields,
    )
    if errors:
        raise ValidationError(errors)
    merged = merged_fields(meeting, fields)
    existing_decisions = list(meeting.decisions.order_by("order"))
    linked: set[int] = set()
    if agreements is not None:
        linked = visible_agreement_ids(actor, list(meeting.agreements.all()))

    time_changed = any(
        name in fields and fields[name] != getattr(meeting, name) for name in ("start", "end")
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    for name in STANDARD_TEXT_FIELDS:
        setattr(meeting, name, merged[name])
    meeting.full_clean(exclude=["host", "series", "created_by", "minutes_approved_by"])
    meeting.save()
    if attendances is not None or statements is not None:
        # Statements point at attendance rows (PROTECT): they go first and are written
        # again against the rows that stay.
        captured = statements_capture(meeting) if statements is None else []
        meeting.statements.all().delete()
        if attendances is not None:
            meeting.attendances.all().delete()
            rows = write_attendances(actor, meeting, attendances)
        else:
            rows = list(meeting.attendances.order_by("order", "id"))
        write_statements(
            meeting,
            statements if statements is not None else statements_remap(captured, rows),
            rows,
        )
    if attendances is not None or participants is not None:
        explicit = (
            participants
            if participants is not None
            else list(
                meeting.participants.exclude(pk__in=meeting.attendances.values("organization_id"))
            )
        )
        sync_participants(meeting, explicit)
    agenda = list(meeting.agenda_items.order_by("order"))
    if agenda_items is not None:
        for i, row in enumerate(agenda_items):
            if i < len(agenda):
                agenda[i].title, agenda[i].description = standardize(row.title), row.description
                agenda[i].save(update_fields=["title", "description"])
            else:
                agenda.append(
                    AgendaItem.objects.create(
                        meeting=meeting,
                        order=i,
                        title=standardize(row.title),
                        description=row.description,
                    )
                )
    if decisions is not None:
        for i, drow in enumerate(decisions):
            target = agenda[drow.agenda_index] if drow.agenda_index is not None else None
            if i < len(existing_decisions):
                d = existing_decisions[i]
                d.text, d.agenda_item = drow.text.strip(), target
                d.save(update_fields=["text", "agenda_item"])
            else:
                Decision.objects.create(
                    meeting=meeting, order=i, text=drow.text.strip(), agenda_item=target
                )
        Decision.objects.filter(meeting=meeting, order__gte=len(decisions)).delete()
    if agenda_items is not None:
        stale = AgendaItem.objects.filter(meeting=meeting, order__gte=len(agenda_items))
        Decision.objects.filter(agenda_item__in=stale).update(agenda_item=None)
        stale.delete()
    links: dict[str, Any] = {}
    if agreements is not None:
        wanted = {a.pk for a in agreements}
        added, removed = sorted(wanted - linked), sorted(linked - wanted)
        if added:
            meeting.agreements.add(*added)
            links["agreements_linked"] = added
        if removed:
            meeting.agreements.remove(*removed)
            links["agreements_unlinked"] = removed
    changed = (
        sorted(fields)
        + (["statements"] if statements is not None else [])
        + (["agreements"] if links else [])
    )
    record_event(meeting, MeetingEventKind.UPDATED, actor, fields=changed, **links)
    if confirm_review and meeting.needs_review:
        confirm_locked(actor, meeting)  # plans the reminders (of the new time) itself
    elif time_changed or attendances is not None:
        reminders_refresh(target=meeting)
    if time_changed:
        # Whoever was already reminded of the old time hears of the move now, once
        # («زمان جلسه تغییر کرد»); the others' reminders just follow the new time. Also
        # with «ذخیره و تأیید»: the host's people may have been reminded of the draft.
        reminders_dispatch_now(target=meeting, rules=[RuleCode.MEETING_RESCHEDULED])
    return meeting
