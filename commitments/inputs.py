"""Turning the ids a page or an API client sends into rows the user may see, with a Persian
error naming the field (shared by the pages and the API, which must not import each other)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from agreements.models import Agreement, AgreementParty
from meetings.models import ActionItem, Decision
from meetings.selectors import action_item_list_for_user, meeting_list_for_user
from organizations.models import Person

from .choices import UNFULFILLED
from .models import Commitment, CommitmentOccurrence


def _missing(field: str, what: str) -> ValidationError:
    return ValidationError({field: f"{what} پیدا نشد."})


def resolve_party(agreement: Agreement, party_id: Any) -> AgreementParty:
    party = (
        AgreementParty.objects.filter(agreement=agreement, pk=party_id)
        .select_related("organization")
        .first()
    )
    if party is None:
        raise ValidationError({"party": "این طرف از طرفین این تفاهم‌نامه نیست."})
    return party


def resolve_person(party: AgreementParty, person_id: Any) -> Person | None:
    """A person of the committed party's organisation (the agreement, which the user sees,
    shows its parties; people of other organisations are not found)."""
    if person_id in (None, ""):
        return None
    person = Person.objects.filter(pk=person_id, organization_id=party.organization_id).first()
    if person is None:
        raise ValidationError({"responsible": "این شخص در سازمان طرف متعهد پیدا نشد."})
    return person


def resolve_decision(user: Any, decision_id: Any) -> Decision | None:
    if decision_id in (None, ""):
        return None
    decision = (
        Decision.objects.filter(pk=decision_id, meeting__in=meeting_list_for_user(user=user))
        .select_related("meeting")
        .first()
    )
    if decision is None:
        raise _missing("source_decision", "این مصوبه")
    return decision


def resolve_action_item(user: Any, item_id: Any) -> ActionItem | None:
    if item_id in (None, ""):
        return None
    item = action_item_list_for_user(user=user).filter(pk=item_id).first()
    if item is None:
        raise _missing("source_action_item", "این اقدام")
    return item


def pick_occurrence(commitment: Commitment, occurrence_id: Any = None) -> CommitmentOccurrence:
    """The occurrence named by id, or the earliest one still waiting."""
    rows = commitment.occurrences.all()
    if occurrence_id not in (None, ""):
        found = rows.filter(pk=occurrence_id).first()
        if found is None:
            raise _missing("occurrence", "این نوبت از این تعهد")
        return found
    found = rows.filter(status__in=UNFULFILLED).order_by("due_date", "number").first()
    if found is None:
        raise ValidationError({"occurrence": "این تعهد نوبت بازی ندارد؛ نوبت را نام ببرید."})
    return found
