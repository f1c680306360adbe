"""What the workflow guards read, and which moves a user may make now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from organizations.scoping import org_scope_for_user

from .. import workflow
from ..choices import PartyRole
from ..models import Agreement, AgreementApproval, AgreementParty, AgreementVersion
from .visibility import tehran_today


def agreement_workflow_facts(
    *, agreement: Agreement, now: datetime | None = None, reason: str = ""
) -> workflow.WorkflowFacts:
    """The snapshot the guards read (three queries: current version, parties, approvals)."""
    current = AgreementVersion.objects.filter(agreement=agreement, is_current=True).first()
    parties = list(
        AgreementParty.objects.filter(agreement=agreement).select_related("organization")
    )
    approved: set[int] = set()
    if current is not None:
        approved = set(
            AgreementApproval.objects.filter(version=current).values_list("party_id", flat=True)
        )
    return workflow.WorkflowFacts(
        today=tehran_today(now),
        has_current_version=current is not None,
        principal_roles=frozenset(
            p.role for p in parties if p.role in (PartyRole.FIRST_PARTY, PartyRole.SECOND_PARTY)
        ),
        unapproved_parties=tuple(p.organization.name for p in parties if p.pk not in approved),
        signed_date=agreement.signed_date,
        has_signed_scan=bool(agreement.signed_scan),
        effective_date=agreement.effective_date,
        expiry_date=agreement.expiry_date,
        reason=reason,
    )


@dataclass(frozen=True)
class AvailableTransition:
    transition: workflow.Transition
    blockers: list[str]

    @property
    def allowed(self) -> bool:
        return not self.blockers


def agreement_transitions_for_user(
    *, user: Any, agreement: Agreement, now: datetime | None = None
) -> list[AvailableTransition]:
    """The moves out of the current status that the user's role allows, each with the
    guards that still block it (a required reason is not a blocker here: it is asked for)."""
    scope = org_scope_for_user(user)
    mine = [
        t
        for t in workflow.outgoing(agreement.status)
        if scope.has_role(agreement.owning_organization_id, t.role)
    ]
    if not mine:
        return []
    facts = agreement_workflow_facts(agreement=agreement, now=now, reason="-")
    return [AvailableTransition(t, t.blockers(facts)) for t in mine]
