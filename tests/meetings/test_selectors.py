"""Selectors: visibility, overdue in Tehran time, carried-over items, constant queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from meetings import selectors
from meetings.models import ActionItem
from organizations.scoping import forget_scope
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    member,
)
from tracker.jalali import TEHRAN

from .conftest import START

pytestmark = pytest.mark.django_db


def test_meeting_visible_to_host_and_participants_only_once(
    staff_a: Any, staff_b: Any, org_a: Any, org_b: Any
) -> None:
    child = OrganizationFactory(parent=org_a)
    meeting = MeetingFactory(host=org_b)
    meeting.participants.add(org_a, child)
    assert list(selectors.meeting_list_for_user(user=staff_a)) == [meeting]
    assert list(selectors.meeting_list_for_user(user=staff_b)) == [meeting]
    stranger = member(OrganizationFactory(), username="stranger")
    assert list(selectors.meeting_list_for_user(user=stranger)) == []
    assert list(selectors.action_item_list_for_user(user=stranger)) == []


def test_overdue_starts_at_midnight_tehran_after_the_due_date(org_a: Any) -> None:
    item = ActionItemFactory(
        meeting=MeetingFactory(host=org_a, start=START), due_date=date(2020, 8, 5)
    )
    qs = ActionItem.objects.all()
    # 23:59 Tehran on the due date is 20:29 UTC: still on time.
    late_evening = datetime(2020, 8, 5, 23, 59, tzinfo=TEHRAN)
    with mock.patch("django.utils.timezone.now", return_value=late_evening):
        assert list(selectors.action_items_overdue(qs)) == []
    # 00:00 Tehran the next day is still 5 August in UTC (20:30), but overdue in Tehran.
    midnight = datetime(2020, 8, 6, 0, 0, tzinfo=TEHRAN)
    with mock.patch("django.utils.timezone.now", return_value=midnight):
        assert timezone.localdate() == date(2020, 8, 6)
        assert list(selectors.action_items_overdue(qs)) == [item]
    assert list(qs.filter(selectors.overdue_q(date(2020, 8, 6)))) == [item]
    assert list(qs.filter(selectors.overdue_q(date(2020, 8, 5)))) == []


def test_open_items_of_earlier_meetings_of_the_series_or_agreement_carry_over(
    staff_a: Any, org_a: Any, log_meeting: Any
) -> None:
    first = log_meeting(new_series_title="سلسله")
    done = ActionItemFactory(meeting=first, status="done", completed_at=timezone.now())
    second = MeetingFactory(host=org_a, series=first.series, start=START + timedelta(days=7))
    carried = list(selectors.carried_over_action_items(user=staff_a, meeting=second))
    assert carried == list(first.action_items.filter(status="open"))
    assert done not in carried
    agreement = AgreementFactory(owning_organization=org_a)
    other = MeetingFactory(host=org_a, start=START - timedelta(days=3))
    other.agreements.add(agreement)
    other_item = ActionItemFactory(meeting=other)
    third = MeetingFactory(host=org_a, start=START + timedelta(days=14))
    third.agreements.add(agreement)
    assert list(selectors.carried_over_action_items(user=staff_a, meeting=third)) == [other_item]


def test_mine_and_my_organisation_views(staff_a: Any, org_a: Any, org_b: Any) -> None:
    me = PersonFactory(organization=org_a, user=staff_a)
    meeting = MeetingFactory(host=org_a)
    mine = ActionItemFactory(meeting=meeting, owner_person=me, owner_organization=None)
    ours = ActionItemFactory(meeting=meeting, owner_organization=org_a)
    theirs = ActionItemFactory(meeting=meeting, owner_organization=org_b)
    qs = selectors.action_item_list_for_user(user=staff_a)
    assert list(selectors.action_items_mine(qs, user=staff_a)) == [mine]
    assert list(selectors.action_items_of_my_organizations(qs, user=staff_a)) == [ours]
    assert qs.filter(pk=theirs.pk).exists()


def _rows(org: Any, n: int) -> None:
    for _ in range(n):
        meeting = MeetingFactory(host=org, start=START)
        ActionItemFactory(meeting=meeting, owner_person=PersonFactory(organization=org))


def test_selector_query_counts_do_not_grow(
    staff_a: Any, org_a: Any, django_assert_num_queries: Any
) -> None:
    for n in (5, 45):
        _rows(org_a, n)
        forget_scope(staff_a)
        # Scope (memberships, organisation tree), then the meetings and one participants
        # prefetch; action items come with their meeting, host and owners in one join.
        with django_assert_num_queries(4):
            meetings = list(selectors.meeting_list_page_for_user(user=staff_a))
        with django_assert_num_queries(1):
            items = list(selectors.action_item_list_for_user(user=staff_a))
        for item in items:
            assert item.meeting.host.name
            assert item.owner_person is not None
            assert item.owner_person.full_name
    assert len(meetings) == 50
    assert len(items) == 50
