"""The status moves of a meeting: held, cancelled (with its open action items cancelled or
kept), minutes approved, addenda to approved minutes, and the confirmation of a meeting read
from a report. Each is one transaction that locks the meeting, checks the actor's role,
follows ``MEETING_TRANSITIONS`` and audits itself."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.scoping import require_role
from tracker.exceptions import ApplicationError, ConflictError
from tracker.text import to_persian_digits as fa

from ..choices import (
    MEETING_TRANSITIONS,
    ActionItemStatus,
    MeetingEventKind,
    MeetingStatus,
    OpenItemsOnCancel,
)
from ..models import ActionItem, Meeting, MinutesAddendum
from .rows import lock_meeting, record_event

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _transition(meeting: Meeting, target: str) -> None:
    if target not in MEETING_TRANSITIONS[meeting.status]:
        raise ConflictError(
            f"جلسه در وضعیت «{MeetingStatus(meeting.status).label}» است و نمی‌تواند "
            f"«{MeetingStatus(target).label}» شود.",
            field="status",
        )


@transaction.atomic
def meeting_mark_held(*, actor: User, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Record that a planned meeting took place (not before it started)."""
    now = now or timezone.now()
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _transition(meeting, MeetingStatus.HELD)
    if meeting.start > now:
        raise ApplicationError("جلسه هنوز شروع نشده است.", field="start")
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    record_event(meeting, MeetingEventKind.HELD, actor)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(
    *,
    actor: User,
    meeting: Meeting,
    reason: str = "",
    open_items: str | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Cancel a planned meeting; it stays listed (and in calendars as cancelled).

    A meeting with open action items needs ``open_items``: ``"cancel"`` cancels them with
    it (each as :func:`action_item_cancel` would: a history row, its reminders stopped),
    ``"keep"`` leaves them open, e.g. for the next meeting of the series."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _transition(meeting, MeetingStatus.CANCELLED)
    items = list(
        meeting.action_items.select_for_update().filter(status=ActionItemStatus.OPEN).order_by("id")
    )
    _check_open_items(open_items, len(items))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now or timezone.now()
    meeting.cancel_reason = reason.strip()[:500]
    meeting.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    cancelled = items if open_items == OpenItemsOnCancel.CANCEL else []
    extra: dict[str, Any] = {}
    if items:
        extra = {"open_items": open_items, "open_item_count": len(items)}
    record_event(meeting, MeetingEventKind.CANCELLED, actor, reason=meeting.cancel_reason, **extra)
    reminders_refresh(target=meeting)
    if cancelled:
        why, changed_at = meeting.cancel_reason, timezone.now()
        note = f"با لغو جلسه لغو شد: {why}" if why else "با لغو جلسه لغو شد."
        for item in cancelled:
            item.status = ActionItemStatus.CANCELLED
            item.completion_note = note
            item.updated_at = changed_at
            item.meeting = meeting
        ActionItem.objects.bulk_update(cancelled, ["status", "completion_note", "updated_at"])
        for item in cancelled:
            record_event(meeting, MeetingEventKind.ACTION_CANCELLED, actor, action_item=item)
            reminders_refresh(target=item)
    return meeting


def _check_open_items(open_items: str | None, open_count: int) -> None:
    """``open_items`` is one of the choices, and given when the meeting has open items."""
    if open_items in OpenItemsOnCancel.values:
        return
    choices = "؛ ".join(f"«{c.value}»: {c.label}" for c in OpenItemsOnCancel)
    if open_items:
        message = f"مقدار «{open_items}» برای اقدامات باز جلسه (open_items) معتبر نیست ({choices})."
    elif open_count:
        message = (
            f"این جلسه {fa(open_count)} اقدام باز دارد: بگویید با لغو جلسه چه شوند "
            f"(open_items: {choices})."
        )
    else:
        return
    raise ValidationError({"open_items": message})


@transaction.atomic
def minutes_approve(*, actor: User, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Approve the minutes of a held meeting (manager of the host). After this, minutes,
    attendance and decisions are read-only; corrections go into addenda."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.MANAGER)
    _transition(meeting, MeetingStatus.MINUTES_APPROVED)
    if not meeting.minutes.strip() and not meeting.decisions.exists():
        raise ApplicationError(
            "صورتجلسه خالی است: پیش از تأیید، متن صورتجلسه یا مصوبات را ثبت کنید.",
            field="minutes",
        )
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_at = now or timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(
        update_fields=["status", "minutes_approved_at", "minutes_approved_by", "updated_at"]
    )
    record_event(meeting, MeetingEventKind.MINUTES_APPROVED, actor)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def minutes_addendum_add(*, actor: User, meeting: Meeting, text: str) -> MinutesAddendum:
    """Append a dated correction, with its author, to approved minutes."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status != MeetingStatus.MINUTES_APPROVED:
        raise ConflictError(
            "الحاقیه فقط برای صورتجلسه تأییدشده است؛ پیش از تأیید، خود صورتجلسه را ویرایش کنید.",
            field="text",
        )
    if not text.strip():
        raise ValidationError({"text": "متن الحاقیه را وارد کنید."})
    addendum = MinutesAddendum(meeting=meeting, text=text.strip(), author=actor)
    addendum.full_clean(exclude=["meeting", "author"])
    addendum.save()
    record_event(meeting, MeetingEventKind.ADDENDUM, actor, addendum=addendum.pk)
    return addendum


@transaction.atomic
def meeting_confirm(*, actor: User, meeting: Meeting) -> Meeting:
    """A person confirms a meeting read from a report: from now on the participating
    organisations see it (lists, calendars, reminders) like any other meeting."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if not meeting.needs_review:
        raise ConflictError("این جلسه نیازی به تأیید ندارد.", field="needs_review")
    confirm_locked(actor, meeting)
    return meeting


def confirm_locked(actor: User, meeting: Meeting) -> None:
    """The confirmation's writes, on a locked meeting (both callers locked it)."""
    meeting.needs_review = False
    meeting.save(update_fields=["needs_review", "updated_at"])
    record_event(meeting, MeetingEventKind.REVIEW_CONFIRMED, actor)
    reminders_refresh(target=meeting)
    for item in meeting.action_items.all():
        reminders_refresh(target=item)
