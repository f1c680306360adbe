"""The workflow matrix: every (from, to, actor role) is allowed or refused as workflow.py
declares, an allowed move writes exactly one history row, a refused one changes nothing."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from agreements import services, workflow
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement, AgreementStatusChange
from organizations.choices import ROLE_RANK, Role
from tests.factories import member
from tracker.exceptions import ApplicationError, ConflictError, PermissionDeniedError

from .conftest import ALL_STATUSES, NOW, TEXT_V1, force_status

ACTORS = ["system", Role.VIEWER, Role.STAFF, Role.MANAGER]


def _expected(source: str, target: str, actor: str) -> bool:
    transition = workflow.find(source, target)
    if transition is None:
        return False
    if actor == "system":
        return transition.system
    return ROLE_RANK[actor] >= ROLE_RANK[transition.role]


@pytest.mark.parametrize("actor_role", ACTORS)
@pytest.mark.parametrize("target", ALL_STATUSES)
@pytest.mark.parametrize("source", ALL_STATUSES)
def test_transition_matrix(org_a: Any, org_b: Any, source: str, target: str, actor_role: str):
    creator = member(org_a, Role.STAFF, username="creator")
    agreement = services.agreement_create(
        actor=creator,
        owning_organization=org_a,
        reference_number="M-1",
        title="ماتریس",
        parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
        text=TEXT_V1,
        now=NOW,
    )
    force_status(agreement, source)
    actor = None if actor_role == "system" else member(org_a, actor_role, username="actor")
    rows_before = AgreementStatusChange.objects.filter(agreement=agreement).count()

    allowed = _expected(source, target, actor_role)
    if allowed:
        services.agreement_transition(
            actor=actor, agreement=agreement, to=target, reason="دلیل آزمون", now=NOW
        )
    else:
        with pytest.raises(ApplicationError) as caught:
            services.agreement_transition(
                actor=actor, agreement=agreement, to=target, reason="دلیل آزمون", now=NOW
            )
        assert caught.value.status in (403, 409)
        assert caught.value.message  # a Persian sentence, never empty

    agreement.refresh_from_db()
    rows = AgreementStatusChange.objects.filter(agreement=agreement).order_by("id")
    if allowed:
        assert agreement.status == target
        assert rows.count() == rows_before + 1
        last = rows.last()
        assert last is not None
        assert (last.from_status, last.to_status) == (source, target)
        assert last.actor == actor
    else:
        assert agreement.status == source
        assert rows.count() == rows_before


def test_every_status_but_the_final_ones_has_a_way_out():
    final = {AgreementStatus.EXPIRED, AgreementStatus.WITHDRAWN, AgreementStatus.TERMINATED}
    for status in ALL_STATUSES:
        assert bool(workflow.outgoing(status)) == (status not in final)


def test_issue_edges_are_all_declared():
    s = AgreementStatus
    chain = [
        s.DRAFT,
        s.INTERNAL_REVIEW,
        s.LEGAL_REVIEW,
        s.NEGOTIATION,
        s.APPROVED,
        s.SIGNED,
        s.IN_FORCE,
        s.EXPIRED,
    ]
    for a, b in itertools.pairwise(chain):
        assert workflow.find(a, b) is not None
    for back in (s.INTERNAL_REVIEW, s.LEGAL_REVIEW, s.NEGOTIATION):
        assert workflow.find(back, s.DRAFT) is not None
    for before in (s.DRAFT, s.INTERNAL_REVIEW, s.LEGAL_REVIEW, s.NEGOTIATION, s.APPROVED):
        assert workflow.find(before, s.WITHDRAWN) is not None
    for after in (s.SIGNED, s.IN_FORCE):
        assert workflow.find(after, s.TERMINATED) is not None
        assert workflow.find(after, s.WITHDRAWN) is None


# --- Guards -------------------------------------------------------------------------------------


def _refused(agreement: Agreement, actor: Any, to: str, reason: str = "") -> ConflictError:
    before = AgreementStatusChange.objects.filter(agreement=agreement).count()
    status = Agreement.objects.get(pk=agreement.pk).status
    with pytest.raises(ConflictError) as caught:
        services.agreement_transition(
            actor=actor, agreement=agreement, to=to, reason=reason, now=NOW
        )
    assert AgreementStatusChange.objects.filter(agreement=agreement).count() == before
    assert Agreement.objects.get(pk=agreement.pk).status == status
    return caught.value


def test_leaving_draft_needs_a_current_version(org_a: Any, staff_a: Any):
    agreement = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="X", title="بی‌متن", now=NOW
    )
    error = _refused(agreement, staff_a, AgreementStatus.INTERNAL_REVIEW)
    assert "نسخه" in error.message


def test_approved_needs_every_party_to_approve_the_current_version(
    draft: Agreement, manager_a: Any, manager_b: Any, org_b: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    error = _refused(draft, manager_a, AgreementStatus.APPROVED)
    assert org_b.name in error.message  # names who has not approved yet
    assert len(error.extra["guards"]) == 1


def test_signed_needs_signing_date_and_scan(draft: Agreement, manager_a: Any):
    force_status(draft, AgreementStatus.APPROVED, guards_met=False)
    error = _refused(draft, manager_a, AgreementStatus.SIGNED)
    assert "تاریخ امضا" in error.message
    assert "اسکن" in error.message


def test_in_force_needs_the_effective_date_reached(draft: Agreement, manager_a: Any):
    force_status(draft, AgreementStatus.SIGNED, guards_met=False)
    Agreement.objects.filter(pk=draft.pk).update(effective_date=NOW.date().replace(year=2030))
    error = _refused(draft, manager_a, AgreementStatus.IN_FORCE)
    assert "هنوز نرسیده" in error.message


def test_back_edge_and_exits_need_a_reason(draft: Agreement, staff_a: Any, manager_a: Any):
    force_status(draft, AgreementStatus.INTERNAL_REVIEW)
    assert "دلیل" in _refused(draft, staff_a, AgreementStatus.DRAFT, reason="  ").message
    assert "دلیل" in _refused(draft, manager_a, AgreementStatus.WITHDRAWN).message


def test_wrong_role_is_403_naming_the_role(draft: Agreement, staff_a: Any):
    force_status(draft, AgreementStatus.LEGAL_REVIEW)
    with pytest.raises(PermissionDeniedError) as caught:
        services.agreement_transition(
            actor=staff_a, agreement=draft, to=AgreementStatus.NEGOTIATION, now=NOW
        )
    assert Role.MANAGER.label in caught.value.message


def test_a_member_of_a_party_cannot_move_the_owners_agreement(draft: Agreement, manager_b: Any):
    force_status(draft, AgreementStatus.NEGOTIATION)
    with pytest.raises(PermissionDeniedError):
        services.agreement_transition(
            actor=manager_b, agreement=draft, to=AgreementStatus.APPROVED, now=NOW
        )
