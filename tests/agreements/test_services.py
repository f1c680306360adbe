"""Services: creation, optimistic edits, versions, approvals, parties, time-driven expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)
from tests.factories import OrganizationFactory
from tracker.exceptions import ConflictError, PermissionDeniedError, PreconditionFailed

from .conftest import NOW, TEXT_V1, TEXT_V2, TODAY, approve_all, days, force_status

# --- create ------------------------------------------------------------------------------------


def test_create_writes_draft_parties_first_version_and_one_history_row(
    draft: Agreement, staff_a: Any
):
    assert draft.status == AgreementStatus.DRAFT
    assert draft.created_by == staff_a
    assert draft.parties.count() == 2
    version = AgreementVersion.objects.get(agreement=draft)
    assert (version.number, version.is_current, version.text) == (1, True, TEXT_V1)
    change = AgreementStatusChange.objects.get(agreement=draft)
    assert (change.from_status, change.to_status, change.actor) == ("", "draft", staff_a)
    assert draft.history.count() == 1


def test_reference_number_is_unique_per_owner_across_digit_spellings(
    draft: Agreement, org_a: Any, org_b: Any, staff_a: Any, staff_b: Any
):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            actor=staff_a, owning_organization=org_a, reference_number="ت/1403/001", title="دو"
        )
    assert "reference_number" in caught.value.message_dict
    # Another owner may use the same number.
    other = services.agreement_create(
        actor=staff_b, owning_organization=org_b, reference_number="ت/1403/001", title="دو"
    )
    assert other.pk


def test_viewer_cannot_create(org_a: Any, viewer_a: Any):
    with pytest.raises(PermissionDeniedError):
        services.agreement_create(
            actor=viewer_a, owning_organization=org_a, reference_number="1", title="ع"
        )
    assert not Agreement.objects.exists()


def test_expiry_before_effective_is_refused_in_persian(org_a: Any, staff_a: Any):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            actor=staff_a,
            owning_organization=org_a,
            reference_number="1",
            title="ع",
            effective_date=days(10),
            expiry_date=days(5),
        )
    assert "پس از تاریخ اجرا" in caught.value.message_dict["expiry_date"][0]


# --- update with optimistic concurrency --------------------------------------------------------


def test_update_bumps_lock_version_and_records_field_history(draft: Agreement, staff_a: Any):
    updated = services.agreement_update(
        actor=staff_a, agreement=draft, expected_lock_version=draft.lock_version, title="تازه"
    )
    assert updated.lock_version == draft.lock_version + 1
    assert Agreement.objects.get(pk=draft.pk).title == "تازه"
    latest = draft.history.latest()
    assert latest.history_user == staff_a
    assert latest.title == "تازه"


def test_two_edits_from_the_same_copy_one_wins_one_412(draft: Agreement, staff_a: Any):
    read_at = draft.lock_version
    results = []
    for title in ("عنوان برنده", "عنوان بازنده"):
        try:
            services.agreement_update(
                actor=staff_a, agreement=draft, expected_lock_version=read_at, title=title
            )
            results.append("ok")
        except PreconditionFailed:
            results.append("412")
    assert results == ["ok", "412"]
    stored = Agreement.objects.get(pk=draft.pk)
    assert stored.title == "عنوان برنده"
    assert stored.lock_version == read_at + 1
    assert draft.history.count() == 2  # created + the winner, nothing for the loser


def test_update_refuses_status_and_owner(draft: Agreement, staff_a: Any, org_b: Any):
    for field, value in (("status", "approved"), ("owning_organization", org_b)):
        with pytest.raises(ValidationError) as caught:
            services.agreement_update(
                actor=staff_a, agreement=draft, expected_lock_version=1, **{field: value}
            )
        assert field in caught.value.message_dict
    stored = Agreement.objects.get(pk=draft.pk)
    assert (stored.status, stored.owning_organization_id, stored.lock_version) == (
        "draft",
        draft.owning_organization_id,
        1,
    )


def test_invalid_update_leaves_lock_version_alone(draft: Agreement, staff_a: Any):
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=staff_a,
            agreement=draft,
            expected_lock_version=1,
            effective_date=days(10),
            expiry_date=days(1),
        )
    assert Agreement.objects.get(pk=draft.pk).lock_version == 1


def test_member_of_another_org_cannot_update(draft: Agreement, staff_b: Any):
    with pytest.raises(PermissionDeniedError):
        services.agreement_update(
            actor=staff_b, agreement=draft, expected_lock_version=1, title="x"
        )
    assert Agreement.objects.get(pk=draft.pk).title != "x"


# --- versions ------------------------------------------------------------------------------------


def test_new_version_is_numbered_current_and_clears_approvals(
    draft: Agreement, staff_a: Any, manager_a: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    approve_all(draft, manager_a)
    v2 = services.agreement_version_create(
        actor=staff_a, agreement=draft, text=TEXT_V2, change_note="اصلاح ماده ۱"
    )
    assert v2.number == 2
    assert list(
        AgreementVersion.objects.filter(agreement=draft, is_current=True).values_list(
            "number", flat=True
        )
    ) == [2]
    assert v2.base_version is not None
    assert v2.base_version.number == 1
    assert not AgreementApproval.objects.filter(version=v2).exists()
    # The approvals of version 1 stay as history.
    assert AgreementApproval.objects.filter(version__number=1, party__agreement=draft).count() == 2


def test_version_from_a_base_without_text_restores_the_base_text(draft: Agreement, staff_a: Any):
    v1 = AgreementVersion.objects.get(agreement=draft, number=1)
    services.agreement_version_create(actor=staff_a, agreement=draft, text=TEXT_V2)
    v3 = services.agreement_version_create(actor=staff_a, agreement=draft, base_version=v1)
    assert (v3.number, v3.text, v3.base_version) == (3, TEXT_V1, v1)


def test_version_base_from_another_agreement_is_refused(draft: Agreement, staff_a: Any, org_a: Any):
    other = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="2", title="دیگر", text="متن"
    )
    foreign = AgreementVersion.objects.get(agreement=other)
    with pytest.raises(ValidationError) as caught:
        services.agreement_version_create(actor=staff_a, agreement=draft, base_version=foreign)
    assert "base_version" in caught.value.message_dict
    assert AgreementVersion.objects.filter(agreement=draft).count() == 1


def test_same_or_empty_text_is_refused(draft: Agreement, staff_a: Any):
    for text in (TEXT_V1, "   "):
        with pytest.raises(ValidationError):
            services.agreement_version_create(actor=staff_a, agreement=draft, text=text)
    assert AgreementVersion.objects.filter(agreement=draft).count() == 1


def test_text_is_frozen_after_approval(draft: Agreement, staff_a: Any):
    force_status(draft, AgreementStatus.APPROVED)
    with pytest.raises(ConflictError):
        services.agreement_version_create(actor=staff_a, agreement=draft, text=TEXT_V2)


# --- approvals ---------------------------------------------------------------------------------


def test_party_manager_approves_current_version(draft: Agreement, manager_b: Any, org_b: Any):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    approval = services.agreement_approve(actor=manager_b, agreement=draft, organization=org_b)
    assert approval.version.is_current
    assert approval.party.organization == org_b
    with pytest.raises(ConflictError):
        services.agreement_approve(actor=manager_b, agreement=draft, organization=org_b)


def test_approval_by_an_organisation_that_is_not_a_party_is_refused(
    draft: Agreement, manager_a: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    stranger = OrganizationFactory(name="شرکت بیگانه")
    with pytest.raises(ValidationError) as caught:
        services.agreement_approve(actor=manager_a, agreement=draft, organization=stranger)
    assert "طرف این تفاهم‌نامه نیست" in caught.value.message_dict["organization"][0]
    assert not AgreementApproval.objects.exists()


def test_approval_needs_a_manager_and_the_negotiation_stage(
    draft: Agreement, staff_a: Any, manager_a: Any, org_b: Any
):
    with pytest.raises(ConflictError):
        services.agreement_approve(actor=manager_a, agreement=draft, organization=org_b)
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    with pytest.raises(PermissionDeniedError):
        services.agreement_approve(actor=staff_a, agreement=draft, organization=org_b)
    assert not AgreementApproval.objects.exists()


# --- parties -----------------------------------------------------------------------------------


def test_party_add_refuses_duplicates_and_second_first_party(
    draft: Agreement, staff_a: Any, org_b: Any
):
    witness = OrganizationFactory(name="شهرک‌های صنعتی قدس")
    services.agreement_party_add(
        actor=staff_a, agreement=draft, organization=witness, role=PartyRole.WITNESS
    )
    with pytest.raises(ValidationError):
        services.agreement_party_add(
            actor=staff_a, agreement=draft, organization=org_b, role=PartyRole.WITNESS
        )
    with pytest.raises(ValidationError):
        services.agreement_party_add(
            actor=staff_a,
            agreement=draft,
            organization=OrganizationFactory(),
            role=PartyRole.FIRST_PARTY,
        )
    assert AgreementParty.objects.filter(agreement=draft).count() == 3


# --- time-driven expiry ------------------------------------------------------------------------


def test_expire_due_moves_only_in_force_past_expiry_and_is_idempotent(org_a: Any, staff_a: Any):
    def make(ref: str, status: str, expiry_offset: int) -> Agreement:
        a = services.agreement_create(
            actor=staff_a, owning_organization=org_a, reference_number=ref, title=ref
        )
        Agreement.objects.filter(pk=a.pk).update(
            status=status,
            effective_date=TODAY - timedelta(days=400),
            expiry_date=TODAY + timedelta(days=expiry_offset),
        )
        return a

    due = make("due", AgreementStatus.IN_FORCE, -1)
    today = make("today", AgreementStatus.IN_FORCE, 0)  # still valid on its expiry day
    signed = make("signed", AgreementStatus.SIGNED, -5)  # not in force: untouched
    assert services.agreements_expire_due(now=NOW) == 1
    assert services.agreements_expire_due(now=NOW) == 0

    statuses = dict(Agreement.objects.values_list("reference_number", "status"))
    assert statuses == {"due": "expired", "today": "in_force", "signed": "signed"}
    row = AgreementStatusChange.objects.get(agreement=due, to_status="expired")
    assert row.actor is None
    assert row.from_status == "in_force"
    assert (
        not AgreementStatusChange.objects.filter(agreement__in=[today, signed])
        .exclude(from_status="")
        .exists()
    )


def test_expire_due_uses_the_tehran_date(org_a: Any, staff_a: Any):
    a = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="t", title="t"
    )
    # 2024-04-02 22:00 UTC is already 2024-04-03 01:30 in Tehran: an expiry of 04-02 passed.
    Agreement.objects.filter(pk=a.pk).update(
        status=AgreementStatus.IN_FORCE,
        effective_date=TODAY - timedelta(days=100),
        expiry_date=TODAY - timedelta(days=1),
    )

    late_utc = datetime(2024, 4, 2, 22, 0, tzinfo=UTC)
    assert services.agreements_expire_due(now=late_utc) == 1
