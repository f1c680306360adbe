"""A participant organisation's answer to a meeting's invitation: decline it (the meeting
leaves that organisation's lists, calendars and reminders, and its people can no longer be
named as attendees) or accept it again. One transaction that locks the meeting, checks the
actor's role in the participant, writes the answer and one history row, and re-plans the
reminders.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import require_role
from tracker.exceptions import ApplicationError, PermissionDeniedError

from ..choices import ActionItemStatus, InvitationResponse, MeetingEventKind
from ..models import Meeting, ParticipantResponse
from ..selectors import invitation_answerable_ids
from .rows import lock_meeting, record_event

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EVENT_OF = {
    InvitationResponse.DECLINED: MeetingEventKind.INVITATION_DECLINED,
    InvitationResponse.ACCEPTED: MeetingEventKind.INVITATION_ACCEPTED,
}


@transaction.atomic
def meeting_invitation_respond(
    *,
    actor: User,
    meeting: Meeting,
    organization: Organization,
    response: str,
    now: datetime | None = None,
) -> ParticipantResponse:
    """Record ``organization``'s answer (declined or accepted) to the invitation of
    ``meeting``'s host, by staff or a manager of that organisation. The host cannot answer
    its own meeting. Giving the same answer again changes nothing (no second history row)."""
    if response not in InvitationResponse.values:
        raise ApplicationError("پاسخ به دعوت باید «رد» یا «پذیرش» باشد.", field="response")
    meeting = lock_meeting(meeting)
    if organization.pk == meeting.host_id:
        raise ApplicationError(
            "سازمان میزبان به دعوت جلسه خود پاسخ نمی‌دهد؛ برای برگزارنشدن، جلسه را لغو کنید.",
            field="organization",
        )
    if not meeting.participants.filter(pk=organization.pk).exists():
        raise ApplicationError(
            f"«{organization.name}» از سازمان‌های شرکت‌کننده این جلسه نیست.",
            field="organization",
        )
    require_role(actor, organization, Role.STAFF)
    existing = ParticipantResponse.objects.filter(
        meeting=meeting, organization=organization
    ).first()
    if existing is not None and existing.response == response:
        return existing
    at = now or timezone.now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    if existing is None:
        answer = ParticipantResponse(meeting=meeting, organization=organization, response=response)
    else:
        answer = existing
        answer.response = response
    answer.responded_at = at
    answer.responded_by = by
    answer.full_clean(exclude=["meeting", "organization", "responded_by"])
    answer.save()
    record_event(
        meeting, EVENT_OF[InvitationResponse(response)], actor, organization=organization.pk
    )
    # Who is reminded depends on the answer: the meeting's attendees of that organisation,
    # and the owners of its open action items.
    reminders_refresh(target=meeting, now=at)
    for item in meeting.action_items.filter(status=ActionItemStatus.OPEN):
        reminders_refresh(target=item, now=at)
    return answer


def invitation_organization(*, user: Any, meeting: Meeting) -> Organization:
    """The participant organisation ``user`` answers for when the request names none: the
    only one of the meeting's participants (not the host) in which the user is staff or
    above; a Persian 403 when there is none, a 400 naming ``organization`` when there are
    several."""
    ids = invitation_answerable_ids(user=user, meeting=meeting)
    if not ids:
        raise PermissionDeniedError(
            "شما در هیچ‌یک از سازمان‌های شرکت‌کننده این جلسه (جز میزبان) نقش «کارشناس» یا "
            "بالاتر ندارید و نمی‌توانید به دعوت آن پاسخ دهید."
        )
    if len(ids) > 1:
        raise ApplicationError(
            "شما برای چند سازمان شرکت‌کننده این جلسه پاسخ می‌دهید؛ سازمان را انتخاب کنید.",
            field="organization",
        )
    return next(org for org in meeting.participants.all() if org.pk == ids[0])
