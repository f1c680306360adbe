"""Reads of commitments, always through the agreements the user may see (the one scope
rule of agreements: the owner always, the parties from negotiation on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from agreements.models import Agreement
from agreements.selectors import agreement_list_for_user, tehran_today
from organizations.choices import Role
from organizations.scoping import org_scope_for_user
from tracker.text import search_filter

from . import workflow
from .choices import OccurrenceStatus
from .models import Commitment, CommitmentOccurrence, OccurrenceStatusChange


def _visible_agreement_ids(user: Any) -> QuerySet[Agreement, Any]:
    return (
        agreement_list_for_user(user=user).select_related(None).prefetch_related(None).values("pk")
    )


def commitment_list_for_user(*, user: Any, search: str = "") -> QuerySet[Commitment]:
    """Commitments of the agreements the user may see."""
    qs = Commitment.objects.filter(agreement_id__in=_visible_agreement_ids(user)).select_related(
        "agreement", "party__organization", "responsible"
    )
    return search_filter(qs, search, ("title", "clause", "description"))


def commitment_get_for_user(*, user: Any, pk: Any) -> Commitment:
    try:
        return commitment_list_for_user(user=user).get(pk=int(pk))
    except (Commitment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("تعهد پیدا نشد.") from exc


def occurrence_list_for_user(*, user: Any) -> QuerySet[CommitmentOccurrence]:
    """Occurrences (each due date of each commitment) the user may see, with what a row of
    the list shows (one query: everything is a to-one join)."""
    return CommitmentOccurrence.objects.filter(
        commitment__agreement_id__in=_visible_agreement_ids(user)
    ).select_related(
        "commitment__agreement",
        "commitment__party__organization",
        "commitment__responsible",
        "status_changed_by",
    )


def occurrence_get_for_user(*, user: Any, pk: Any) -> CommitmentOccurrence:
    try:
        return occurrence_list_for_user(user=user).get(pk=int(pk))
    except (CommitmentOccurrence.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("نوبت تعهد پیدا نشد.") from exc


def overdue_q(today: date | None = None) -> Q:
    """Unfulfilled and past the due date: late, or open before the late job ran."""
    today = today or tehran_today()
    return Q(status=OccurrenceStatus.LATE) | Q(status=OccurrenceStatus.OPEN, due_date__lt=today)


def occurrence_history(*, occurrence: CommitmentOccurrence) -> list[OccurrenceStatusChange]:
    return list(occurrence.status_changes.select_related("actor").order_by("at", "id"))


@dataclass(frozen=True)
class PartyFulfilment:
    """A party's figure on one agreement: done of the due ones (waived ones do not count)."""

    party_id: int
    name: str
    done: int
    late: int
    open: int
    waived: int

    @property
    def rate(self) -> float | None:
        counted = self.done + self.late
        return round(self.done / counted, 4) if counted else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


def fulfilment_by_party(
    *, agreement: Agreement, today: date | None = None
) -> list[PartyFulfilment]:
    """Per party of the agreement: done, late (overdue, whether or not the late job ran),
    open and waived occurrences; one grouped query."""
    today = today or tehran_today()
    late = overdue_q(today)
    rows = (
        CommitmentOccurrence.objects.filter(commitment__agreement=agreement)
        .values("commitment__party_id", "commitment__party__organization__name")
        .annotate(
            done=Count("pk", filter=Q(status=OccurrenceStatus.DONE)),
            late=Count("pk", filter=late),
            open=Count("pk", filter=Q(status=OccurrenceStatus.OPEN) & ~late),
            waived=Count("pk", filter=Q(status=OccurrenceStatus.WAIVED)),
        )
        .order_by("commitment__party__organization__name")
    )
    return [
        PartyFulfilment(
            party_id=r["commitment__party_id"],
            name=r["commitment__party__organization__name"],
            done=r["done"],
            late=r["late"],
            open=r["open"],
            waived=r["waived"],
        )
        for r in rows
    ]


def moves_for_user(*, user: Any, occurrence: CommitmentOccurrence) -> list[workflow.Move]:
    """The moves of this occurrence the user's roles allow (buttons on the pages)."""
    commitment = occurrence.commitment
    scope = org_scope_for_user(user)
    owner = commitment.agreement.owning_organization_id
    party = commitment.party.organization_id
    return [
        m
        for m in workflow.outgoing(occurrence.status)
        if scope.has_role(owner, m.role)
        or (m.where == workflow.PARTY and scope.has_role(party, m.role))
    ]


def user_can_manage(*, user: Any, agreement: Agreement) -> bool:
    """Staff (or more) of the owner create, edit and delete commitments."""
    return org_scope_for_user(user).has_role(agreement.owning_organization_id, Role.STAFF)
