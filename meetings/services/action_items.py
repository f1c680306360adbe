"""Writes of action items: create, complete, cancel, reassign. Each locks its row, checks
who may work on it, audits on the meeting and re-plans its reminders.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.models import Organization, Person
from organizations.scoping import org_scope_for_user, require_role
from tracker.exceptions import ConflictError

from ..choices import ACTION_TRANSITIONS, ActionItemStatus, MeetingEventKind, MeetingStatus
from ..models import ActionItem, Decision, Meeting
from .inputs import Errors
from .rows import add_owner_participants, lock_meeting, record_event
from .validation import (
    add_error,
    check_action_item,
    local_date,
    visible_agreement_ids,
    visible_person_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from agreements.models import Agreement


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    meeting: Meeting,
    description: str,
    due_date: date,
    owner_person: Person | None = None,
    owner_organization: Organization | None = None,
    decision: Decision | None = None,
    agreement: Agreement | None = None,
) -> ActionItem:
    """Add an action item to a meeting (staff of the host; not on a cancelled meeting).
    The owner's organisation becomes a participant of the meeting (it is reminded of it)."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError("برای جلسه لغوشده اقدام ثبت نمی‌شود.", field="meeting")
    errors: Errors = {}
    check_action_item(
        errors,
        "",
        actor,
        description=description,
        due_date=due_date,
        owner_person=owner_person,
        owner_organization=owner_organization,
        meeting_day=local_date(meeting.start),
        visible_people=visible_person_ids(actor, [owner_person] if owner_person else []),
        visible_agreements=visible_agreement_ids(actor, [agreement] if agreement else []),
        agreement=agreement,
    )
    if decision is not None and decision.meeting_id != meeting.pk:
        add_error(errors, "decision", "این مصوبه از این جلسه نیست.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        meeting=meeting,
        decision=decision,
        description=description.strip(),
        due_date=due_date,
        owner_person=owner_person,
        owner_organization=owner_organization,
        agreement=agreement,
    )
    add_owner_participants(meeting, [item])
    record_event(meeting, MeetingEventKind.ACTION_CREATED, actor, action_item=item)
    reminders_refresh(target=item)
    return item


def _lock_item(item: ActionItem) -> ActionItem:
    return (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "owner_person")
        .get(pk=item.pk)
    )


def may_work_on_action_item(actor: User, item: ActionItem) -> bool:
    """Staff of the host or of the owner organisation, or the owner themself."""
    scope = org_scope_for_user(actor)
    if scope.has_role(item.meeting.host_id, Role.STAFF):
        return True
    if scope.has_role(item.owner_organization_id, Role.STAFF):
        return True
    owner = item.owner_person
    return owner is not None and owner.user_id is not None and owner.user_id == actor.pk


def _action_transition(item: ActionItem, target: str) -> None:
    if target not in ACTION_TRANSITIONS[item.status]:
        raise ConflictError(
            f"این اقدام «{ActionItemStatus(item.status).label}» است و تغییر نمی‌کند.",
            field="status",
        )


@transaction.atomic
def action_item_complete(
    *, actor: User, action_item: ActionItem, note: str = "", now: datetime | None = None
) -> ActionItem:
    """Mark an open action item done."""
    item = _lock_item(action_item)
    if not may_work_on_action_item(actor, item):
        require_role(actor, item.meeting.host_id, Role.STAFF)
    _action_transition(item, ActionItemStatus.DONE)
    item.status = ActionItemStatus.DONE
    item.completed_at = now or timezone.now()
    item.completed_by = actor
    item.completion_note = note.strip()
    item.save(
        update_fields=["status", "completed_at", "completed_by", "completion_note", "updated_at"]
    )
    record_event(item.meeting, MeetingEventKind.ACTION_COMPLETED, actor, action_item=item)
    reminders_refresh(target=item)
    return item


@transaction.atomic
def action_item_cancel(*, actor: User, action_item: ActionItem, reason: str = "") -> ActionItem:
    """Cancel an open action item (staff of the host)."""
    item = _lock_item(action_item)
    require_role(actor, item.meeting.host_id, Role.STAFF)
    _action_transition(item, ActionItemStatus.CANCELLED)
    item.status = ActionItemStatus.CANCELLED
    item.completion_note = reason.strip()
    item.save(update_fields=["status", "completion_note", "updated_at"])
    record_event(item.meeting, MeetingEventKind.ACTION_CANCELLED, actor, action_item=item)
    reminders_refresh(target=item)
    return item


@transaction.atomic
def action_item_reassign(
    *,
    actor: User,
    action_item: ActionItem,
    owner_person: Person | None = None,
    owner_organization: Organization | None = None,
    due_date: date | None = None,
) -> ActionItem:
    """Give an open action item another owner and/or due date; the new owner's organisation
    becomes a participant of the meeting (the previous one stays)."""
    item = _lock_item(action_item)
    if not may_work_on_action_item(actor, item):
        require_role(actor, item.meeting.host_id, Role.STAFF)
    _action_transition(item, ActionItemStatus.DONE)  # only open items move
    errors: Errors = {}
    new_due = due_date or item.due_date
    check_action_item(
        errors,
        "",
        actor,
        description=item.description,
        due_date=new_due,
        owner_person=owner_person,
        owner_organization=owner_organization,
        meeting_day=local_date(item.meeting.start),
        visible_people=visible_person_ids(actor, [owner_person] if owner_person else []),
        visible_agreements=set(),
        agreement=None,
    )
    if errors:
        raise ValidationError(errors)
    before = {
        "owner_person": item.owner_person_id,
        "owner_organization": item.owner_organization_id,
        "due_date": item.due_date.isoformat(),
    }
    item.owner_person = owner_person
    item.owner_organization = owner_organization
    item.due_date = new_due
    item.save(update_fields=["owner_person", "owner_organization", "due_date", "updated_at"])
    add_owner_participants(item.meeting, [item])
    record_event(
        item.meeting, MeetingEventKind.ACTION_REASSIGNED, actor, action_item=item, before=before
    )
    reminders_refresh(target=item)
    return item
