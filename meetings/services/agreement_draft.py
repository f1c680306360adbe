"""From the meeting to the draft MoU: open an agreement drafted at a meeting and link it to
the meeting in one transaction (nothing half-saved: no draft without its link)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from agreements.services import agreement_create
from organizations.models import Organization

from ..models import Meeting
from .meetings import meeting_link_agreement

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from agreements.models import Agreement


@transaction.atomic
def meeting_agreement_draft(
    *,
    actor: User,
    meeting: Meeting,
    owning_organization: Organization,
    reference_number: str,
    title: str,
    parties: Iterable[tuple[Organization, str]] = (),
    **fields: Any,
) -> Agreement:
    """Open a draft agreement (``agreement_create``: staff of the owner) and link it to
    ``meeting`` (``meeting_link_agreement``: the meeting visible, staff of its host, not
    cancelled). Either refusal rolls back both."""
    agreement = agreement_create(
        actor=actor,
        owning_organization=owning_organization,
        reference_number=reference_number,
        title=title,
        parties=list(parties),
        **fields,
    )
    meeting_link_agreement(actor=actor, meeting=meeting, agreement=agreement)
    return agreement
