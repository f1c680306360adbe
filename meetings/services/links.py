"""Links between a meeting and the agreements it discussed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from organizations.choices import Role
from organizations.scoping import require_role
from tracker.exceptions import ApplicationError, ConflictError

from ..choices import MeetingEventKind, MeetingStatus
from ..models import Meeting
from ..selectors import meeting_list_for_user
from .rows import lock_meeting, record_event
from .validation import visible_agreement_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from agreements.models import Agreement


@transaction.atomic
def meeting_link_agreement(*, actor: User, meeting: Meeting, agreement: Agreement) -> Meeting:
    """Link a meeting to an agreement (both visible to the actor, staff in the host)."""
    if not meeting_list_for_user(user=actor).filter(pk=meeting.pk).exists():
        raise ApplicationError("جلسه پیدا نشد.", field="meeting", status=404)
    if not visible_agreement_ids(actor, [agreement]):
        raise ApplicationError("تفاهم‌نامه پیدا نشد.", field="agreement", status=404)
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError("این جلسه لغو شده است.", field="status")
    meeting.agreements.add(agreement)
    record_event(meeting, MeetingEventKind.AGREEMENT_LINKED, actor, agreement=agreement.pk)
    return meeting
