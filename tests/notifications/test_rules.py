"""The built-in rules on the meetings and agreements models, on an injected clock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest

from meetings.models import Meeting
from notifications import services
from notifications.choices import ReminderState, RuleCode
from notifications.models import Reminder, ReminderRule
from notifications.tasks import send_delivery_chunk
from organizations.choices import Role
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
    member,
)
from tests.notifications.conftest import NOW
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)
D = timedelta(days=1)


def live(target: Any) -> list[tuple[str, str, int, Any]]:
    rows = Reminder.objects.filter(object_id=target.pk, state=ReminderState.PENDING)
    return sorted((r.rule, r.kind, r.recipient_id, r.due_at) for r in rows)


def at(day: date, hour: int) -> Any:
    from datetime import datetime, time

    return datetime.combine(day, time(hour), tzinfo=TEHRAN)


# --- meetings -------------------------------------------------------------------------------


def test_meeting_reminds_attendees_with_accounts_24h_and_1h_before() -> None:
    meeting = MeetingFactory(start=NOW + 3 * D)
    with_account = PersonFactory(user=UserFactory())
    AttendanceFactory(meeting=meeting, person=with_account, status="invited")
    AttendanceFactory(meeting=meeting, person=PersonFactory(), status="invited")  # no login
    AttendanceFactory(meeting=meeting, person=PersonFactory(user=UserFactory()), status="absent")
    services.reminders_refresh(target=meeting, now=NOW)
    uid = with_account.user_id
    assert live(meeting) == [
        (RuleCode.MEETING_UPCOMING, "before:1h", uid, NOW + 3 * D - H),
        (RuleCode.MEETING_UPCOMING, "before:24h", uid, NOW + 2 * D),
    ]


def test_rescheduling_a_meeting_replaces_its_reminders() -> None:
    meeting: Any = MeetingFactory(start=NOW + 3 * D)
    AttendanceFactory(meeting=meeting, person=PersonFactory(user=UserFactory()), status="invited")
    services.reminders_refresh(target=meeting, now=NOW)
    meeting.start = NOW + 5 * D
    meeting.save()
    result = services.reminders_refresh(target=meeting, now=NOW)
    assert (result.cancelled, result.created) == (2, 2)
    assert {r[3] for r in live(meeting)} == {NOW + 4 * D, NOW + 5 * D - H}


def test_a_cancelled_meeting_has_no_reminders() -> None:
    meeting = MeetingFactory(start=NOW + 3 * D)
    AttendanceFactory(meeting=meeting, person=PersonFactory(user=UserFactory()), status="invited")
    services.reminders_refresh(target=meeting, now=NOW)
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled", cancelled_at=NOW)
    meeting.refresh_from_db()
    services.reminders_refresh(target=meeting, now=NOW)
    assert live(meeting) == []


def test_an_admin_can_change_the_meeting_offsets() -> None:
    ReminderRule.objects.create(code=RuleCode.MEETING_UPCOMING, offsets=[2])
    meeting = MeetingFactory(start=NOW + 3 * D)
    AttendanceFactory(meeting=meeting, person=PersonFactory(user=UserFactory()), status="invited")
    services.reminders_refresh(target=meeting, now=NOW)
    assert [r[1] for r in live(meeting)] == ["before:2h"]


# --- action items ------------------------------------------------------------------------------


def _item(due: date, org: Any = None) -> tuple[Any, Any]:
    owner = PersonFactory(user=UserFactory(), **({"organization": org} if org else {}))
    meeting = MeetingFactory(start=NOW - 10 * D, host=owner.organization)
    item = ActionItemFactory(meeting=meeting, owner_person=owner, due_date=due)
    return item, owner.user


def test_action_item_reminds_the_owner_three_days_before_and_on_the_due_date() -> None:
    due = NOW.date() + 10 * D
    item, user = _item(due)
    services.reminders_refresh(target=item, now=NOW)
    due_rows = [r for r in live(item) if r[0] == RuleCode.ACTION_ITEM_DUE]
    assert due_rows == [
        (RuleCode.ACTION_ITEM_DUE, "due:0d", user.pk, at(due, 9)),
        (RuleCode.ACTION_ITEM_DUE, "due:3d", user.pk, at(due - 3 * D, 9)),
    ]


def test_overdue_starts_after_the_end_of_the_due_date_in_tehran_and_repeats_daily() -> None:
    due = NOW.date() - 2 * D
    item, _user = _item(due)
    services.reminders_refresh(target=item, now=NOW)
    overdue = [r for r in live(item) if r[1].startswith("overdue:")]
    # Today's 09:00 has passed (now is 10:00): it would be late, so only tomorrow's is new.
    assert [r[3] for r in overdue] == [at(NOW.date() + D, 9)]
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        result = services.reminders_sweep(now=at(NOW.date() + D, 9))
    assert result.dispatched == 1
    # Dispatching one day plans the next.
    after = [r for r in live(item) if r[1].startswith("overdue:")]
    assert [r[3] for r in after] == [at(NOW.date() + 2 * D, 9)]


def test_an_overdue_item_escalates_to_the_owner_organisations_managers_after_seven_days(
    org_a: Any,
) -> None:
    manager = member(org_a, Role.MANAGER)
    member(org_a, Role.STAFF)
    due = NOW.date() + D
    item, _ = _item(due, org=org_a)
    services.reminders_refresh(target=item, now=NOW)
    escalations = [r for r in live(item) if r[1].startswith("escalation")]
    assert escalations == [
        (RuleCode.ACTION_ITEM_OVERDUE, "escalation:7d", manager.pk, at(due + 7 * D, 9))
    ]


def test_moving_the_due_date_replaces_every_reminder_and_done_cancels_them() -> None:
    item, _ = _item(NOW.date() + 10 * D)
    services.reminders_refresh(target=item, now=NOW)
    item.due_date = NOW.date() + 20 * D
    item.save()
    services.reminders_refresh(target=item, now=NOW)
    assert {r[3].date() for r in live(item) if r[1] == "due:0d"} == {NOW.date() + 20 * D}
    item.status, item.completed_at = "done", NOW
    item.save()
    services.reminders_refresh(target=item, now=NOW)
    assert live(item) == []


# --- agreements -----------------------------------------------------------------------------------


def test_agreement_too_long_in_legal_review_reminds_staff_then_managers(org_a: Any) -> None:
    staff, manager = member(org_a, Role.STAFF), member(org_a, Role.MANAGER)
    entered = NOW - 2 * D
    agreement = AgreementFactory(
        owning_organization=org_a, status="legal_review", status_changed_at=entered
    )
    services.reminders_refresh(target=agreement, now=NOW)
    assert live(agreement) == [
        (RuleCode.AGREEMENT_STAGE_LIMIT, "stage:legal_review", staff.pk, entered + 14 * D),
        (
            RuleCode.AGREEMENT_STAGE_LIMIT,
            "stage:legal_review:escalation",
            manager.pk,
            entered + 21 * D,
        ),
    ]
    agreement.status, agreement.status_changed_at = "negotiation", NOW
    agreement.save()
    services.reminders_refresh(target=agreement, now=NOW)
    assert {r[1] for r in live(agreement)} == {"stage:negotiation", "stage:negotiation:escalation"}


def test_agreement_in_force_gets_expiry_notices_60_30_and_7_days_before(org_a: Any) -> None:
    staff = member(org_a, Role.STAFF)
    expiry = NOW.date() + 90 * D
    agreement = AgreementFactory(
        owning_organization=org_a, status="in_force", status_changed_at=NOW, expiry_date=expiry
    )
    services.reminders_refresh(target=agreement, now=NOW)
    notices = [r for r in live(agreement) if r[0] == RuleCode.AGREEMENT_EXPIRY]
    assert [r[3] for r in notices] == [at(expiry - n * D, 9) for n in (30, 60, 7)]
    assert {r[2] for r in notices} == {staff.pk}


def test_agreement_review_deadline_reminds_before_and_on_the_day(org_a: Any) -> None:
    member(org_a, Role.STAFF)
    deadline = NOW.date() + 10 * D
    agreement = AgreementFactory(
        owning_organization=org_a, status="draft", status_changed_at=NOW, review_deadline=deadline
    )
    services.reminders_refresh(target=agreement, now=NOW)
    review = [r for r in live(agreement) if r[0] == RuleCode.AGREEMENT_REVIEW_DEADLINE]
    assert [r[3] for r in review] == [at(deadline, 9), at(deadline - 3 * D, 9)]


def test_counts_in_reminder_titles_use_persian_digits(org_a: Any) -> None:
    member(org_a, Role.STAFF)
    agreement = AgreementFactory(
        owning_organization=org_a,
        status="in_force",
        status_changed_at=NOW,
        expiry_date=NOW.date() + 90 * D,
    )
    services.reminders_refresh(target=agreement, now=NOW)
    titles = list(
        Reminder.objects.filter(rule=RuleCode.AGREEMENT_EXPIRY).values_list("title", flat=True)
    )
    assert len(titles) == 3
    assert all("روز دیگر" in title for title in titles)
    # «پایان اعتبار تا ۶۰ روز دیگر»: the count is Persian (user text such as a reference
    # number may keep its own digits, so look only at the words before the colon).
    heads = [title.split(":")[0] for title in titles]
    assert not any(ch in "0123456789" for head in heads for ch in head)
    assert any("۶۰" in head for head in heads)
