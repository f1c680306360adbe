"""«امضا شد → نافذ»: the owner's managers and the parties' people with a login are told at
once (in-app and e-mail) when a signed agreement comes into force, by a person or by the
job on its effective date; exactly once; the commitments now due are listed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement
from commitments import services
from notifications import services as notification_services
from notifications.choices import Channel, RuleCode
from notifications.models import Delivery, Reminder
from notifications.tasks import send_delivery_chunk
from organizations.choices import Role
from tests.factories import OrganizationFactory, PersonFactory, member

from .conftest import NOW, TODAY, days

pytestmark = pytest.mark.django_db

BOTH = {Channel.IN_APP, Channel.EMAIL}


@pytest.fixture
def signed(org_a: Any, org_b: Any, staff_a: Any, manager_a: Any) -> Agreement:
    created = agreement_services.agreement_create(
        actor=staff_a,
        owning_organization=org_a,
        reference_number="ت/۱۴۰۳/۰۳۰",
        title="تفاهم‌نامه پسماند صنعتی",
        parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
        text="ماده ۱ – جمع‌آوری پسماند.",
        now=NOW - timedelta(days=20),
    )
    # Setup only: signed, effective today (the workflow up to the signature is tested in
    # agreements/).
    Agreement.objects.filter(pk=created.pk).update(
        status=AgreementStatus.SIGNED,
        status_changed_at=NOW - timedelta(days=2),
        signed_date=TODAY - timedelta(days=2),
        effective_date=TODAY,
        expiry_date=TODAY + timedelta(days=365),
    )
    created.refresh_from_db()
    return created


def notices(agreement: Agreement) -> dict[int, set[str]]:
    rows = Delivery.objects.filter(
        reminder__rule=RuleCode.WORK_ASSIGNED,
        reminder__object_id=agreement.pk,
        reminder__kind="in_force",
    ).values_list("recipient_id", "channel")
    found: dict[int, set[str]] = {}
    for user_id, channel in rows:
        found.setdefault(user_id, set()).add(channel)
    return found


def test_the_job_on_the_effective_date_tells_the_managers_and_the_contacts_once(
    signed: Agreement, staff_a: Any, manager_a: Any, person_b: Any, staff_b: Any
) -> None:
    services.commitment_create(
        actor=staff_a,
        agreement=signed,
        party=signed.parties.get(role=PartyRole.SECOND_PARTY),
        title="تحویل زمین ایستگاه",
        due_date=days(30),
        responsible=person_b,
        now=NOW - timedelta(days=1),
    )
    assert agreement_services.agreements_put_in_force_due(now=NOW) == 1
    signed.refresh_from_db()
    assert signed.status == AgreementStatus.IN_FORCE
    # The owner's manager and org_b's person with a login (staff_b); not staff_a.
    assert notices(signed) == {manager_a.pk: BOTH, staff_b.pk: BOTH}
    reminder = Reminder.objects.filter(kind="in_force", recipient=manager_a).get()
    assert "نافذ" in reminder.title
    assert "تحویل زمین ایستگاه" in reminder.body

    # Exactly once: the job again, the sweep, a re-plan add nothing.
    before = Delivery.objects.count()
    assert agreement_services.agreements_put_in_force_due(now=NOW + timedelta(minutes=15)) == 0
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        notification_services.reminders_sweep(now=NOW + timedelta(minutes=16))
    notification_services.reminders_refresh(target=signed, now=NOW + timedelta(minutes=17))
    notification_services.reminders_refresh(target=signed, now=NOW + timedelta(days=3))
    assert Delivery.objects.count() == before


def test_a_manager_moving_it_by_hand_is_not_told_of_their_own_move(
    signed: Agreement, manager_a: Any, person_b: Any, staff_b: Any
) -> None:
    agreement_services.agreement_transition(
        actor=manager_a, agreement=signed, to=AgreementStatus.IN_FORCE, now=NOW
    )
    assert notices(signed) == {staff_b.pk: BOTH}
    # No commitments: the body says so without a list.
    assert "تعهداتی" not in Reminder.objects.get(kind="in_force").body


def test_no_notice_for_other_moves(signed: Agreement, manager_a: Any, person_b: Any) -> None:
    agreement_services.agreement_transition(
        actor=manager_a,
        agreement=signed,
        to=AgreementStatus.TERMINATED,
        reason="انصراف طرفین",
        now=timezone.now(),
    )
    assert notices(signed) == {}


def test_a_contact_whose_login_cannot_see_the_agreement_is_not_told(
    signed: Agreement, manager_a: Any, person_b: Any, staff_b: Any
) -> None:
    """A person of a party whose login belongs to someone outside that party (a member of
    another organisation only) is not told: the notice would show what the page hides."""
    outsider = member(OrganizationFactory(name="سازمان دیگر"), Role.STAFF, username="outsider")
    PersonFactory(
        full_name="رابط بیرونی",
        organization=signed.parties.get(role=PartyRole.SECOND_PARTY).organization,
        user=outsider,
    )
    agreement_services.agreement_transition(
        actor=manager_a, agreement=signed, to=AgreementStatus.IN_FORCE, now=NOW
    )
    assert notices(signed) == {staff_b.pk: BOTH}
