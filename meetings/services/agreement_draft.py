"""From the meeting to the draft MoU: open an agreement drafted at a meeting and link it to
the meeting in one transaction (nothing half-saved: no draft without its link)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from agreements.choices import PartyRole
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


#: The review item's field under which a report's signed MoU is proposed (services.intake).
SIGNED_FIELD = "agreements"


def _signed_proposals(meeting: Meeting) -> list[dict[str, Any]]:
    return [
        item
        for item in meeting.review_items or []
        if item.get("field") == SIGNED_FIELD
        and isinstance(item.get("agreement"), dict)
        and not item["agreement"].get("created")
    ]


@transaction.atomic
def meeting_signed_agreements_create(*, actor: User, meeting: Meeting) -> list[Agreement]:
    """The MoUs a report said were signed («به امضای طرفین رسید»), opened now and linked to
    the meeting read from it: on the confirmation of that meeting (its callers).

    Each goes through :func:`meeting_agreement_draft`, as the agreement form would: owned by
    the host (staff there), the host as first party and the first other organisation of the
    meeting as second, the owner's next reference number of the Jalali year, the title read
    and the meeting's day as the signing date. It opens as a draft, the status every
    agreement starts in: the workflow's «ثبت امضا» (a manager, with the signed scan) makes it
    signed. Each proposal is marked ``created`` with the agreement's id, so it is opened once.
    """
    from agreements.selectors.references import agreement_next_references

    proposals = _signed_proposals(meeting)
    if not proposals:
        return []
    host = meeting.host
    others = sorted(
        (o for o in meeting.participants.all() if o.pk != host.pk), key=lambda o: (o.name, o.pk)
    )
    parties: list[tuple[Organization, str]] = [(host, PartyRole.FIRST_PARTY)]
    if others:
        parties.append((others[0], PartyRole.SECOND_PARTY))
    created = []
    for item in proposals:
        proposal = item["agreement"]
        reference = agreement_next_references(owner_ids=[host.pk])[host.pk]
        agreement = meeting_agreement_draft(
            actor=actor,
            meeting=meeting,
            owning_organization=host,
            reference_number=reference,
            title=(proposal.get("title") or meeting.title)[:255],
            parties=parties,
            signed_date=date.fromisoformat(proposal["signed_date"]),
        )
        proposal["created"] = agreement.pk
        created.append(agreement)
    # The review list is the meeting's record of what was read: it now says what was made.
    Meeting.objects.filter(pk=meeting.pk).update(review_items=meeting.review_items)
    return created
