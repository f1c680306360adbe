"""Every admin changelist runs the same number of queries for 5 rows as for 25.

The changelist of a model that shows a related object (a meeting's host, an item's owner)
used to fetch that object once per row (16 queries for 5 action items, 56 for 25); each
admin names what it shows in ``list_select_related`` instead. The pins below say what the
count is made of, so that a new column that queries per row fails here, not in production.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from agreements.models import AgreementApproval, AgreementStatusChange
from attachments.models import Attachment, AttachmentDeletion
from commitments.models import Commitment, CommitmentOccurrence, OccurrenceStatusChange
from meetings.models import (
    AgendaItem,
    CalendarFeedToken,
    Decision,
    MeetingEvent,
    MeetingSeries,
    MinutesAddendum,
)
from notifications.choices import RuleCode
from notifications.models import Delivery, Reminder, ReminderRule
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    AgreementVersionFactory,
    ApiTokenFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    NotificationPreferenceFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _populate(count: int, *, start: int) -> None:
    """``count`` rows of every model the admin lists, each pointing at its own relations."""
    now = timezone.now()
    for i in range(start, start + count):
        user = UserFactory(username=f"admin-rows-{i}")
        parent = OrganizationFactory()
        org = OrganizationFactory(parent=parent)
        person = PersonFactory(organization=org)
        MembershipFactory(user=user, organization=org)
        series = MeetingSeries.objects.create(title=f"سلسله {i}")
        meeting = MeetingFactory(host=org, series=series)
        AttendanceFactory(meeting=meeting, person=person)
        agenda = AgendaItem.objects.create(meeting=meeting, order=1, title=f"دستور {i}")
        decision = Decision.objects.create(
            meeting=meeting, order=1, text=f"مصوبه {i}", agenda_item=agenda
        )
        agreement = AgreementFactory(owning_organization=org)
        item = ActionItemFactory(
            meeting=meeting,
            decision=decision,
            owner_person=person,
            owner_organization=org,
            agreement=agreement,
        )
        MinutesAddendum.objects.create(meeting=meeting, text=f"الحاقیه {i}", author=user)
        MeetingEvent.objects.create(meeting=meeting, action_item=item, kind="logged", actor=user)
        CalendarFeedToken.objects.create(user=user, key_hash=f"{i:064d}", prefix=f"c{i:06d}")
        party = AgreementPartyFactory(agreement=agreement, organization=parent)
        version = AgreementVersionFactory(agreement=agreement, number=1, author=user)
        AgreementApproval.objects.create(party=party, version=version, approved_by=user)
        commitment = Commitment.objects.create(
            agreement=agreement,
            party=party,
            title=f"تعهد {i}",
            due_date=now.date(),
            responsible=person,
            created_by=user,
        )
        occurrence = CommitmentOccurrence.objects.create(
            commitment=commitment, number=1, due_date=now.date(), status_changed_by=user
        )
        OccurrenceStatusChange.objects.create(occurrence=occurrence, to_status="open", actor=user)
        AgreementStatusChange.objects.create(
            agreement=agreement,
            from_status="draft",
            to_status="internal_review",
            actor=user,
            lock_version=2,
        )
        reminder = Reminder.objects.create(
            content_type=ContentType.objects.get_for_model(meeting),
            object_id=meeting.pk,
            rule="meeting_upcoming",
            kind=f"before:{i}h",
            recipient=user,
            due_at=now + timedelta(hours=i),
            anchor_at=now + timedelta(days=1),
            title=f"یادآوری {i}",
        )
        Delivery.objects.create(reminder=reminder, recipient=user, channel="in_app")
        NotificationPreferenceFactory(user=user)
        ApiTokenFactory(user=user)
        Group.objects.create(name=f"گروه {i}")
        access = {
            "username": f"user{i}",
            "ip_address": f"10.0.0.{i + 1}",
            "user_agent": "test",
            "http_accept": "*/*",
            "path_info": "/accounts/login/",
        }
        AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
        AccessLog.objects.create(**access)
        AccessFailureLog.objects.create(**access, locked_out=False)
        meeting_type = ContentType.objects.get_for_model(meeting)
        Attachment.objects.create(
            content_type=meeting_type,
            object_id=meeting.pk,
            file=f"attachments/2024/01/{i:032d}.pdf",
            original_name=f"پیوست {i}.pdf",
            mime_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=user,
        )
        AttachmentDeletion.objects.create(
            attachment_id=100_000 + i,
            content_type=meeting_type,
            object_id=meeting.pk,
            original_name=f"حذف‌شده {i}.pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=user,
            uploaded_at=now,
            deleted_by=user,
            deleted_at=now,
        )
        if i < len(RuleCode.values):  # one rule per code: 5, then the last 2
            ReminderRule.objects.create(code=RuleCode.values[i])


# Every changelist runs 6 queries whatever its rows: the session and the user (2), a COUNT
# of the filtered rows and a COUNT of all rows for «n of m» (2), the rows themselves with
# what they show joined in (1), and the unread-messages badge of the header (1). On top:
# a ``date_hierarchy`` reads the first/last date and the distinct days (2); a list_filter
# whose choices come from the database reads them once (1).
BASE = 6
CHANGELISTS = [
    ("/admin/meetings/meeting/", BASE + 2),  # date hierarchy on start
    ("/admin/meetings/meetingseries/", BASE),
    ("/admin/meetings/actionitem/", BASE),
    ("/admin/meetings/attendance/", BASE),
    ("/admin/meetings/agendaitem/", BASE),
    ("/admin/meetings/decision/", BASE),
    ("/admin/meetings/minutesaddendum/", BASE),
    ("/admin/meetings/meetingevent/", BASE),
    ("/admin/meetings/calendarfeedtoken/", BASE),
    ("/admin/agreements/agreement/", BASE + 1),  # the owning organisations of the filter
    ("/admin/agreements/agreementapproval/", BASE),
    ("/admin/organizations/organization/", BASE + 1),  # the provinces of the filter
    ("/admin/organizations/person/", BASE),
    ("/admin/organizations/membership/", BASE),
    ("/admin/organizations/apitoken/", BASE),
    ("/admin/auth/user/", BASE + 1),  # the groups of the filter
    ("/admin/auth/group/", BASE),
    ("/admin/notifications/reminderrule/", BASE),
    # the content types of the filter, and the date hierarchy on due_at
    ("/admin/notifications/reminder/", BASE + 3),
    ("/admin/notifications/delivery/", BASE),
    ("/admin/notifications/notificationpreference/", BASE),
    # django-axes' own admins (login protection, issue 12), re-registered in tracker/admin.py
    # in Persian and Jalali, without axes' Gregorian date hierarchy (its 2 queries): one more
    # query of axes' own changelist (measured, the same at 5 and 25 rows)
    ("/admin/axes/accessattempt/", BASE + 1),
    ("/admin/axes/accesslog/", BASE + 1),
    ("/admin/axes/accessfailurelog/", BASE + 1),
    ("/admin/attachments/attachment/", BASE),
    ("/admin/attachments/attachmentdeletion/", BASE),
    ("/admin/commitments/commitment/", BASE),
    ("/admin/commitments/commitmentoccurrence/", BASE),
]


@pytest.fixture
def root_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_every_registered_admin_has_a_changelist_pin() -> None:
    registered = {
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    }
    assert registered - {url for url, _count in CHANGELISTS} == set()


@pytest.mark.parametrize(("url", "expected"), CHANGELISTS)
def test_admin_changelist_query_count_does_not_grow_with_rows(
    root_client: Client, django_assert_num_queries: Any, url: str, expected: int
) -> None:
    _populate(5, start=0)
    with django_assert_num_queries(expected):
        first = root_client.get(url)
    _populate(20, start=5)
    with django_assert_num_queries(expected):
        second = root_client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.context["cl"].result_count > first.context["cl"].result_count


def _meeting_with_rows(count: int) -> Any:
    """A held meeting with ``count`` rows of each inline, each row with its own relations."""
    meeting = MeetingFactory(status="held")
    for i in range(count):
        user = UserFactory()
        org = OrganizationFactory()
        person = PersonFactory(organization=org)
        meeting.participants.add(org)
        AttendanceFactory(meeting=meeting, person=person, order=i)
        AgendaItem.objects.create(meeting=meeting, order=i + 1, title=f"دستور {i}")
        Decision.objects.create(meeting=meeting, order=i + 1, text=f"مصوبه {i}")
        ActionItemFactory(meeting=meeting, owner_person=person, owner_organization=org)
        MinutesAddendum.objects.create(meeting=meeting, text=f"الحاقیه {i}", author=user)
    return meeting


def _agreement_with_rows(count: int) -> Any:
    agreement = AgreementFactory()
    for i in range(count):
        user = UserFactory()
        AgreementPartyFactory(agreement=agreement, role="witness")
        AgreementVersionFactory(
            agreement=agreement, number=i + 1, is_current=i == count - 1, author=user
        )
        AgreementStatusChange.objects.create(
            agreement=agreement,
            from_status="draft",
            to_status="internal_review",
            actor=user,
            lock_version=2,
        )
    return agreement


def _organization_with_rows(count: int) -> Any:
    organization = OrganizationFactory(parent=OrganizationFactory())
    for _i in range(count):
        MembershipFactory(organization=organization)
    return organization


# Change pages of the main models: session, user, the object, the unread badge (4), then
# per page what it shows. A row of an inline costs nothing more: each inline reads its rows
# with what they show joined in (``inline_select_related``).
CHANGE_PAGES = [
    # + the six inlines (attendance, invitation answers, agenda, decisions, action items,
    # addenda), the selected host and participants of the autocomplete widgets (2), the
    # series choices, the history check of the «تاریخچه» link, the agreements (3)
    (_meeting_with_rows, "/admin/meetings/meeting/{pk}/change/", 14),
    # + the three inlines (parties, versions, status changes) and the owning organisation
    (_agreement_with_rows, "/admin/agreements/agreement/{pk}/change/", 8),
    # + the history rows (one query, with their users joined by simple-history)
    (_agreement_with_rows, "/admin/agreements/agreement/{pk}/history/", 6),
]


@pytest.mark.parametrize(("build", "url", "expected"), CHANGE_PAGES)
def test_admin_change_page_query_count_does_not_grow_with_inline_rows(
    root_client: Client, django_assert_num_queries: Any, build: Any, url: str, expected: int
) -> None:
    root_client.get(url.format(pk=build(1).pk))  # warm the content type cache
    for rows in (2, 8):
        page = url.format(pk=build(rows).pk)
        with django_assert_num_queries(expected):
            assert root_client.get(page).status_code == 200


def test_admin_action_item_change_page_query_count(
    root_client: Client, django_assert_num_queries: Any
) -> None:
    item = _meeting_with_rows(3).action_items.first()
    url = f"/admin/meetings/actionitem/{item.pk}/change/"
    root_client.get(url)
    # session, user, the item, the badge, the selected owner person and organisation of the
    # two autocomplete widgets, and the read-only meeting's label
    with django_assert_num_queries(7):
        assert root_client.get(url).status_code == 200


def test_admin_organization_change_page_costs_one_query_per_membership_row(
    root_client: Client,
) -> None:
    """Known limit: Django's AutocompleteSelect reads the selected user of each inline row
    (one query per membership); everything else on the page is joined in."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    root_client.get(f"/admin/organizations/organization/{_organization_with_rows(1).pk}/change/")
    for rows in (2, 8):
        url = f"/admin/organizations/organization/{_organization_with_rows(rows).pk}/change/"
        with CaptureQueriesContext(connection) as queries:
            assert root_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[1] - counts[0] == 6
