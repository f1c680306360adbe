"""Fixtures of the commitments tests: an agreement of org_a in force, with org_a as first
party and org_b as second, a fixed clock, and the people of both sides."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement, AgreementParty
from commitments import services
from commitments.models import Commitment
from organizations.choices import Role
from tests.factories import PersonFactory, member

# Tehran noon of 1403/01/15 (3 April 2024): dates never depend on the clock.
NOW = datetime(2024, 4, 3, 12, 0, tzinfo=timezone.get_fixed_timezone(210))
TODAY = NOW.date()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def manager_b(org_b: Any) -> Any:
    return member(org_b, Role.MANAGER, username="manager_b", email="manager_b@example.org")


@pytest.fixture
def agreement(org_a: Any, org_b: Any, staff_a: Any) -> Agreement:
    created = agreement_services.agreement_create(
        actor=staff_a,
        owning_organization=org_a,
        reference_number="ت/۱۴۰۳/۰۱۰",
        title="تفاهم‌نامه پسماند شهرک",
        parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
        text="ماده ۱ – شهرداری پسماند شهرک را جمع‌آوری می‌کند.",
        now=NOW,
    )
    # Setup only: in force, expiring in a year (the workflow is tested in agreements/).
    Agreement.objects.filter(pk=created.pk).update(
        status=AgreementStatus.IN_FORCE,
        effective_date=days(-10),
        expiry_date=date(2025, 3, 20),  # 1403/12/30
    )
    created.refresh_from_db()
    return created


@pytest.fixture
def party_b(agreement: Agreement, org_b: Any) -> AgreementParty:
    return agreement.parties.get(organization=org_b)


@pytest.fixture
def party_a(agreement: Agreement, org_a: Any) -> AgreementParty:
    return agreement.parties.get(organization=org_a)


@pytest.fixture
def person_b(org_b: Any, staff_b: Any) -> Any:
    """The responsible person of org_b, with staff_b's login."""
    return PersonFactory(full_name="مسئول شهرک", organization=org_b, user=staff_b)


@pytest.fixture
def make_commitment(agreement: Agreement, party_b: AgreementParty, staff_a: Any) -> Any:
    def make(**fields: Any) -> Commitment:
        values: dict[str, Any] = {
            "actor": staff_a,
            "agreement": agreement,
            "party": party_b,
            "title": "تحویل زمین ایستگاه انتقال پسماند",
            "due_date": days(10),
            "now": NOW,
        }
        values.update(fields)
        return services.commitment_create(**values)

    return make
