"""Confirming a meeting read from a report, with what the report proposed: one transaction.

The confirmation itself is ``meeting_confirm`` (or ``meeting_update(confirm_review=True)``
for «ذخیره و تأیید» of the edit form); with it, the MoU the report said was signed is opened
and linked (``meeting_signed_agreements_create``). A refusal of either rolls back both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from ..models import Meeting
from .agreement_draft import meeting_signed_agreements_create
from .meetings import meeting_confirm, meeting_update

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def meeting_review_confirm(
    *, actor: User, meeting: Meeting, create_agreements: bool = True
) -> Meeting:
    """Confirm ``meeting`` (409 if it needs none) and open the MoUs its report signed."""
    meeting = meeting_confirm(actor=actor, meeting=meeting)
    if create_agreements:
        meeting_signed_agreements_create(actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_review_save(
    *, actor: User, meeting: Meeting, confirm: bool, create_agreements: bool = True, **changes: Any
) -> Meeting:
    """``meeting_update`` of the edit form; with ``confirm`` (and the meeting still to be
    confirmed) also the confirmation and the MoUs its report signed."""
    confirming = confirm and meeting.needs_review
    meeting = meeting_update(actor=actor, meeting=meeting, confirm_review=confirming, **changes)
    if confirming and create_agreements:
        meeting_signed_agreements_create(actor=actor, meeting=meeting)
    return meeting
