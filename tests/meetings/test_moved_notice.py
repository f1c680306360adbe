"""«زمان جلسه تغییر کرد»: moving a meeting whose old time was already sent to someone tells
them once, at once, in-app and by e-mail, with the old and the new time; the others'
reminders just follow the new time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import services
from notifications import services as notification_services
from notifications.choices import Channel, DeliveryStatus, ReminderState, RuleCode
from notifications.models import Delivery, Reminder, ReminderRule
from notifications.tasks import send_delivery_chunk
from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory, UserFactory
from tracker.jalali import format_datetime

pytestmark = pytest.mark.django_db

MIN = timedelta(minutes=1)


def send_all() -> int:
    """What the worker does with every pending delivery (the tasks are not run in tests)."""
    ids = [
        [pk]
        for pk in Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list(
            "pk", flat=True
        )
    ]
    return notification_services.deliveries_send_chunk(messages=ids).sent


def sweep() -> None:
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        notification_services.reminders_sweep(now=timezone.now())


def notices(user: Any = None) -> list[Reminder]:
    rows = Reminder.objects.filter(rule=RuleCode.MEETING_RESCHEDULED).order_by("id")
    return list(rows.filter(recipient=user) if user is not None else rows)


@pytest.fixture
def reminded(org_a: Any) -> dict[str, Any]:
    """A planned meeting 50 minutes from now whose «۱ ساعت دیگر» was sent to ``told``;
    ``late`` was added to it afterwards and was never reminded."""
    start = (timezone.now() + 50 * MIN).replace(second=0, microsecond=0)
    meeting = MeetingFactory(host=org_a, start=start, title="جلسه پسماند")
    told = PersonFactory(organization=org_a, user=UserFactory(username="told"))
    AttendanceFactory(meeting=meeting, person=told, status="invited")
    notification_services.reminders_refresh(target=meeting)
    sweep()
    assert send_all() == 2  # in-app and e-mail of the 1 h reminder
    late = PersonFactory(organization=org_a, user=UserFactory(username="late"))
    AttendanceFactory(meeting=meeting, person=late, status="invited")
    notification_services.reminders_refresh(target=meeting)
    mail.outbox.clear()
    return {"meeting": meeting, "told": told.user, "late": late.user, "start": start}


def move(staff: Any, meeting: Any, start: datetime) -> Any:
    meeting.refresh_from_db()
    return services.meeting_update(actor=staff, meeting=meeting, start=start)


def test_moving_a_reminded_meeting_tells_whoever_was_reminded_at_once_with_both_times(
    reminded: dict[str, Any], staff_a: Any
) -> None:
    old, new = reminded["start"], reminded["start"] + timedelta(hours=3)
    move(staff_a, reminded["meeting"], new)
    [notice] = notices()
    assert notice.recipient == reminded["told"]
    assert notice.state == ReminderState.DISPATCHED  # at once, not at the next sweep
    assert notice.anchor_at == new
    assert notice.title == "زمان جلسه تغییر کرد: جلسه پسماند"
    assert format_datetime(old, "weekday") in notice.body  # Jalali, Persian digits, Tehran
    assert format_datetime(new, "weekday") in notice.body
    channels = set(notice.deliveries.values_list("channel", flat=True))
    assert channels == {Channel.IN_APP, Channel.EMAIL}
    assert send_all() == 2
    [email] = mail.outbox
    assert "زمان جلسه تغییر کرد" in email.subject + email.body
    # The never-reminded attendee gets no notice; everyone's reminders follow the new time.
    assert not notices(reminded["late"])
    upcoming = Reminder.objects.filter(
        rule=RuleCode.MEETING_UPCOMING, state=ReminderState.PENDING, anchor_at=new
    )
    assert set(upcoming.values_list("recipient_id", flat=True)) == {
        reminded["told"].pk,
        reminded["late"].pk,
    }


def test_the_notice_goes_out_exactly_once(reminded: dict[str, Any], staff_a: Any) -> None:
    move(staff_a, reminded["meeting"], reminded["start"] + timedelta(hours=3))
    assert send_all() == 2
    before = Delivery.objects.count()
    # Re-planning, the next sweep, an edit that is not a move, a redelivered task: nothing.
    reminded["meeting"].refresh_from_db()
    notification_services.reminders_refresh(target=reminded["meeting"])
    sweep()
    services.meeting_update(actor=staff_a, meeting=reminded["meeting"], location="تالار")
    ids = list(Delivery.objects.filter(reminder__in=notices()).values_list("pk", flat=True))
    assert notification_services.deliveries_send_chunk(messages=[ids]).sent == 0
    assert Delivery.objects.count() == before
    assert len(notices()) == 1


def test_moving_twice_sends_two_notices_each_from_the_time_last_announced(
    reminded: dict[str, Any], staff_a: Any
) -> None:
    first, second = (reminded["start"] + timedelta(hours=h) for h in (3, 5))
    move(staff_a, reminded["meeting"], first)
    send_all()
    move(staff_a, reminded["meeting"], second)
    one, two = notices(reminded["told"])
    assert (one.anchor_at, two.anchor_at) == (first, second)
    assert format_datetime(first, "weekday") in two.body
    assert two.state == ReminderState.DISPATCHED
    # Back to the first new time: a third notice, not a clash with the first.
    send_all()
    move(staff_a, reminded["meeting"], first)
    assert [n.anchor_at for n in notices(reminded["told"])] == [first, second, first]


def test_a_notice_not_yet_sent_is_replaced_by_the_next_move(
    reminded: dict[str, Any], staff_a: Any
) -> None:
    first, second = (reminded["start"] + timedelta(hours=h) for h in (3, 5))
    move(staff_a, reminded["meeting"], first)
    move(staff_a, reminded["meeting"], second)  # before the worker sent the first notice
    assert send_all() == 2  # one notice, in-app and e-mail
    sent = Reminder.objects.filter(
        rule=RuleCode.MEETING_RESCHEDULED, deliveries__status=DeliveryStatus.SENT
    ).distinct()
    [notice] = sent
    assert notice.anchor_at == second
    assert format_datetime(reminded["start"], "weekday") in notice.body


def test_a_meeting_never_reminded_moves_without_notices(org_a: Any, staff_a: Any) -> None:
    meeting = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=3))
    person = PersonFactory(organization=org_a, user=UserFactory())
    AttendanceFactory(meeting=meeting, person=person, status="invited")
    notification_services.reminders_refresh(target=meeting)
    move(staff_a, meeting, meeting.start + timedelta(days=1))
    assert notices() == []


def test_an_inactive_rule_sends_no_notice(reminded: dict[str, Any], staff_a: Any) -> None:
    ReminderRule.objects.create(code=RuleCode.MEETING_RESCHEDULED, is_active=False)
    move(staff_a, reminded["meeting"], reminded["start"] + timedelta(hours=3))
    assert notices() == []


def test_the_notice_is_listed_in_the_inbox(
    reminded: dict[str, Any], staff_a: Any, client: Any
) -> None:
    move(staff_a, reminded["meeting"], reminded["start"] + timedelta(hours=3))
    send_all()
    client.force_login(reminded["told"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "زمان جلسه تغییر کرد: جلسه پسماند" in page


def test_planning_a_meeting_costs_the_same_queries_whatever_the_attendees(
    reminded: dict[str, Any], org_a: Any, django_assert_num_queries: Any
) -> None:
    from notifications.planners import MeetingPlanner
    from notifications.rules import rule_configs

    meeting = reminded["meeting"]
    rules = rule_configs()
    # The attendees with a login, then what was sent to them (the content type is cached).
    with django_assert_num_queries(2):
        MeetingPlanner().plan(meeting, rules=rules, now=timezone.now())
    for n in range(3):
        person = PersonFactory(organization=org_a, user=UserFactory(username=f"more{n}"))
        AttendanceFactory(meeting=meeting, person=person, status="invited")
    with django_assert_num_queries(2):
        MeetingPlanner().plan(meeting, rules=rules, now=timezone.now())


def test_saving_and_confirming_a_draft_at_another_time_tells_at_once(
    reminded: dict[str, Any], staff_a: Any
) -> None:
    """«ذخیره و تأیید» of the review form with a new time: the confirmation plans the
    reminders, and whoever was reminded of the old time hears of the move at once too."""
    meeting = reminded["meeting"]
    type(meeting).objects.filter(pk=meeting.pk).update(needs_review=True)  # setup: a draft
    meeting.refresh_from_db()
    new = reminded["start"] + timedelta(hours=3)
    services.meeting_update(actor=staff_a, meeting=meeting, start=new, confirm_review=True)
    meeting.refresh_from_db()
    assert meeting.needs_review is False
    [notice] = notices()
    assert notice.recipient == reminded["told"]
    assert notice.state == ReminderState.DISPATCHED
    assert notice.anchor_at == new
