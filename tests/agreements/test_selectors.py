"""Selectors: who sees which agreement, and query counts that do not grow with rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from agreements import selectors, services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement
from organizations.choices import Role
from tests.factories import OrganizationFactory, member

from .conftest import NOW, TEXT_V2, force_status


def _visible(user: Any) -> set[int]:
    return set(selectors.agreement_list_for_user(user=user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("status", "party_sees"),
    [
        (AgreementStatus.DRAFT, False),
        (AgreementStatus.INTERNAL_REVIEW, False),
        (AgreementStatus.LEGAL_REVIEW, False),
        (AgreementStatus.NEGOTIATION, True),
        (AgreementStatus.APPROVED, True),
        (AgreementStatus.IN_FORCE, True),
        (AgreementStatus.WITHDRAWN, True),
    ],
)
def test_party_sees_from_negotiation_on_owner_always(
    draft: Agreement, staff_a: Any, viewer_b: Any, status: str, party_sees: bool
):
    force_status(draft, status, guards_met=False)
    assert _visible(staff_a) == {draft.pk}
    assert _visible(viewer_b) == ({draft.pk} if party_sees else set())


def test_stranger_sees_nothing_and_gets_404(draft: Agreement):
    stranger = member(OrganizationFactory(), Role.ADMIN)
    force_status(draft, AgreementStatus.NEGOTIATION)
    assert _visible(stranger) == set()
    with pytest.raises(Http404):
        selectors.agreement_get_for_user(user=stranger, pk=draft.pk)


def test_parent_organisation_members_see_their_childrens_agreements(draft: Agreement, org_a: Any):
    parent = OrganizationFactory(name="استانداری")
    org_a.parent = parent
    org_a.save()
    assert _visible(member(parent, Role.VIEWER)) == {draft.pk}


def test_list_has_no_duplicates_when_the_user_is_in_several_parties(
    draft: Agreement, org_a: Any, org_b: Any, staff_a: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION)
    both = member(org_b, Role.VIEWER)
    from organizations.models import Membership

    Membership.objects.create(user=both, organization=org_a, role=Role.VIEWER)
    assert list(selectors.agreement_list_for_user(user=both).values_list("pk", flat=True)) == [
        draft.pk
    ]


def test_search_is_normalised(draft: Agreement, staff_a: Any):
    assert _visible(staff_a) == {draft.pk}
    found = selectors.agreement_list_for_user(user=staff_a, search="خدمات شهري")
    assert list(found) == [draft]
    assert not selectors.agreement_list_for_user(user=staff_a, search="ناموجود").exists()


def test_transitions_for_user_lists_role_allowed_moves_with_blockers(
    draft: Agreement, staff_a: Any, viewer_a: Any, manager_a: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    staff_moves = {
        a.transition.target: a.blockers
        for a in selectors.agreement_transitions_for_user(user=staff_a, agreement=draft)
    }
    assert set(staff_moves) == {AgreementStatus.DRAFT}
    manager_moves = {
        a.transition.target: a.blockers
        for a in selectors.agreement_transitions_for_user(user=manager_a, agreement=draft)
    }
    assert set(manager_moves) == {"draft", "approved", "withdrawn"}
    assert manager_moves["approved"]  # the parties have not approved
    assert selectors.agreement_transitions_for_user(user=viewer_a, agreement=draft) == []


def test_field_history_shows_who_changed_what(draft: Agreement, staff_a: Any):
    services.agreement_update(actor=staff_a, agreement=draft, expected_lock_version=1, title="نو")
    history = selectors.agreement_field_history(user=staff_a, agreement=draft)
    assert [h["type"] for h in history] == ["created", "changed"]
    assert history[1]["user"] == str(staff_a)
    assert {"field": "title", "label": "عنوان", "old": draft.title, "new": "نو"} in history[1][
        "fields"
    ]


def test_timeline_has_status_changes_versions_and_approvals(
    draft: Agreement, staff_a: Any, manager_a: Any, org_b: Any
):
    services.agreement_version_create(actor=staff_a, agreement=draft, text=TEXT_V2, now=NOW)
    services.agreement_transition(
        actor=staff_a, agreement=draft, to=AgreementStatus.INTERNAL_REVIEW, now=NOW
    )
    kinds = [e["kind"] for e in selectors.agreement_timeline(user=staff_a, agreement=draft)]
    assert kinds.count("status") == 2
    assert kinds.count("version") == 2


def _make_rows(n: int, org_a: Any, org_b: Any, staff_a: Any) -> None:
    for i in range(n):
        services.agreement_create(
            actor=staff_a,
            owning_organization=org_a,
            reference_number=f"Q-{i}",
            title=f"تفاهم‌نامه {i}",
            parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
        )


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_is_constant(
    rows: int, org_a: Any, org_b: Any, staff_a: Any, django_assert_num_queries: Any
):
    _make_rows(rows, org_a, org_b, staff_a)
    user = type(staff_a).objects.get(pk=staff_a.pk)  # a fresh user: no cached scope
    # 2 for the scope (memberships, organisation tree), 1 for the agreements with their
    # owner (join), 1 for all their parties with organisations (prefetch), 1 for their
    # current versions (prefetch).
    with django_assert_num_queries(5):
        result = list(selectors.agreement_list_for_user(user=user))
        names = [p.organization.name for a in result for p in a.parties.all()]
    assert len(result) == rows
    assert len(names) == 2 * rows


@pytest.mark.parametrize("rows", [5, 50])
def test_home_summary_query_count_is_constant(
    rows: int, org_a: Any, org_b: Any, staff_a: Any, django_assert_num_queries: Any
):
    _make_rows(rows, org_a, org_b, staff_a)
    user = type(staff_a).objects.get(pk=staff_a.pk)
    # 2 for the scope, 1 for the five newest open agreements with their owner.
    with django_assert_num_queries(3):
        summary = selectors.home_summary_for_user(user=user)
    assert len(summary["items"]) == 5


def test_factory_rows_follow_the_same_visibility(org_a: Any, viewer_a: Any):
    from tests.factories import AgreementPartyFactory

    party = AgreementPartyFactory(organization=org_a)  # org_a is only a party here
    assert _visible(viewer_a) == set()  # a draft of another owner
    Agreement.objects.filter(pk=party.agreement_id).update(status=AgreementStatus.NEGOTIATION)
    assert _visible(viewer_a) == {party.agreement_id}
