"""Fixtures of the agreements tests: an owner (org_a), a counterpart (org_b), and helpers
that build an agreement through the services and put it in any status with its guards met."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from agreements import services
from agreements.choices import INTERNAL_STATUSES, AgreementStatus, PartyRole
from agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementStatusChange,
    AgreementVersion,
)
from organizations.choices import Role
from tests.factories import member

# A fixed "now" (Tehran noon of 1403/01/15) so date guards never depend on the clock.
NOW = datetime(2024, 4, 3, 12, 0, tzinfo=timezone.get_fixed_timezone(210))
TODAY = NOW.date()

TEXT_V1 = "ماده ۱ – شهرداری خدمات شهری را به شهرک‌ها ارائه می‌دهد، در چارچوب قانون."
TEXT_V2 = "ماده ۱ – شهرداری خدمات شهری و فنی را به شهرک‌های صنعتی ارائه می‌دهد، در چارچوب قانون؛"


@pytest.fixture
def manager_b(org_b: Any) -> Any:
    return member(org_b, Role.MANAGER, username="manager_b")


@pytest.fixture
def viewer_b(org_b: Any) -> Any:
    return member(org_b, Role.VIEWER, username="viewer_b")


@pytest.fixture
def draft(org_a: Any, org_b: Any, staff_a: Any) -> Agreement:
    """A draft of org_a with org_a as first party, org_b as second, and one version."""
    return services.agreement_create(
        actor=staff_a,
        owning_organization=org_a,
        reference_number="ت/۱۴۰۳/۰۰۱",
        title="تفاهم‌نامه همکاری خدمات شهری",
        parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
        text=TEXT_V1,
        now=NOW,
    )


def approve_all(agreement: Agreement, user: Any) -> None:
    """Every party approves the current version (rows written directly: test setup)."""
    current = AgreementVersion.objects.get(agreement=agreement, is_current=True)
    for party in agreement.parties.all():
        AgreementApproval.objects.get_or_create(
            party=party, version=current, defaults={"approved_by": user, "approved_at": NOW}
        )


def force_status(agreement: Agreement, status: str, *, guards_met: bool = True) -> Agreement:
    """Put ``agreement`` in ``status`` (setup only: bypasses the workflow) and, unless told
    otherwise, meet every guard: approvals, signing date and scan, past effective and
    expiry dates. Past the internal phase it records the entry into negotiation (once)."""
    fields: dict[str, Any] = {"status": status}
    if guards_met:
        fields.update(
            signed_date=TODAY - timedelta(days=40),
            signed_scan="agreements/signed/2024/scan.pdf",
            effective_date=TODAY - timedelta(days=30),
            expiry_date=TODAY - timedelta(days=1),
        )
    Agreement.objects.filter(pk=agreement.pk).update(**fields)
    agreement.refresh_from_db()
    if (
        status not in INTERNAL_STATUSES
        and not agreement.status_changes.filter(to_status=AgreementStatus.NEGOTIATION).exists()
    ):
        # The handover to the parties, as the workflow records it: parties see the
        # agreement's past from here on (selectors.agreement_party_window).
        AgreementStatusChange.objects.create(
            agreement=agreement,
            from_status=AgreementStatus.LEGAL_REVIEW,
            to_status=AgreementStatus.NEGOTIATION,
            actor=agreement.created_by,
            at=NOW,
            lock_version=agreement.lock_version,
        )
    if guards_met:
        approve_all(agreement, agreement.created_by)
    return agreement


ALL_STATUSES = [s.value for s in AgreementStatus]


def days(n: int) -> date:
    return TODAY + timedelta(days=n)
