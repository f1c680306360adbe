"""``manage.py seed_demo``: counts follow the scale, and the rows obey the domain's rules."""

from __future__ import annotations

import itertools
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from agreements.choices import AgreementStatus
from agreements.models import Agreement, AgreementParty, AgreementStatusChange, AgreementVersion
from agreements.workflow import find
from meetings.choices import ActionItemStatus, MeetingStatus
from meetings.models import ActionItem, Attendance, Meeting
from organizations.choices import OrganizationKind
from organizations.models import Organization

TODAY = date(2025, 6, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: Any) -> str:
    out = StringIO()
    call_command("seed_demo", "--scale", "0.02", "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def test_counts_are_proportional_to_the_scale(seeded: str) -> None:
    # Scale 1 = 200 organisations, 10,000 meetings, 50,000 action items, 2,000 agreements.
    assert Organization.objects.count() == 16  # 200 x 0.02 = 4, raised to the 16 minimum
    assert Meeting.objects.count() == 200
    assert ActionItem.objects.count() == 1000
    assert Agreement.objects.count() == 40
    assert "seeded scale 0.02" in seeded


def test_estates_hang_under_their_provinces_company(seeded: str) -> None:
    estates = Organization.objects.filter(kind=OrganizationKind.INDUSTRIAL_ESTATE)
    assert estates.exists()
    assert not estates.filter(
        ~Q(parent__kind=OrganizationKind.ESTATES_COMPANY) | ~Q(parent__province=F("province"))
    ).exists()


def test_meetings_past_and_future_have_fitting_statuses(seeded: str) -> None:
    planned = Meeting.objects.filter(status=MeetingStatus.PLANNED)
    assert not planned.filter(start__date__lt=TODAY).exists()
    assert (
        not Meeting.objects.exclude(status=MeetingStatus.PLANNED)
        .filter(start__date__gte=TODAY)
        .exists()
    )
    assert not Meeting.objects.filter(
        status=MeetingStatus.MINUTES_APPROVED, minutes_approved_at__isnull=True
    ).exists()
    # Every meeting has a chair and its host among the attendance.
    assert Attendance.objects.filter(role="chair").count() == Meeting.objects.count()
    assert not ActionItem.objects.filter(
        meeting__status=MeetingStatus.CANCELLED, status=ActionItemStatus.OPEN
    ).exists()


def test_agreement_history_walks_the_workflow_and_ends_at_the_status(seeded: str) -> None:
    for agreement in Agreement.objects.prefetch_related("status_changes"):
        changes = list(agreement.status_changes.order_by("at", "id"))
        assert changes[0].from_status == ""
        assert changes[0].to_status == AgreementStatus.DRAFT
        for before, after in itertools.pairwise(changes):
            assert after.from_status == before.to_status
            assert find(after.from_status, after.to_status) is not None
        assert changes[-1].to_status == agreement.status
        assert changes[-1].at == agreement.status_changed_at


def test_agreements_have_parties_versions_and_approvals(seeded: str) -> None:
    per_agreement = Agreement.objects.annotate(
        principals=Count(
            "parties", filter=Q(parties__role__in=["first_party", "second_party"]), distinct=True
        ),
        n_versions=Count("versions", distinct=True),
        n_current=Count("versions", filter=Q(versions__is_current=True), distinct=True),
    )
    for a in per_agreement:
        assert a.principals == 2
        assert a.n_versions in (2, 3)
        assert a.n_current == 1
    signed_on = [
        AgreementStatus.SIGNED,
        AgreementStatus.IN_FORCE,
        AgreementStatus.EXPIRED,
    ]
    assert not Agreement.objects.filter(status__in=signed_on, signed_date__isnull=True).exists()
    # From «approved» on, every party approved the current text.
    for party in AgreementParty.objects.filter(agreement__status__in=signed_on):
        current = AgreementVersion.objects.get(agreement=party.agreement, is_current=True)
        assert party.approvals.filter(version=current).exists()
    assert AgreementStatusChange.objects.count() >= Agreement.objects.count()


def test_seeding_twice_is_refused(seeded: str) -> None:
    with pytest.raises(CommandError, match="already seeded"):
        call_command("seed_demo", "--scale", "0.01", stdout=StringIO())
