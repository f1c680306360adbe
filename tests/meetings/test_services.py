"""Services of the meetings app: logging, lifecycle, read-only approved minutes, action items."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings import services
from meetings.choices import MAX_MINUTES_LENGTH
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingEvent,
    MeetingSeries,
    MinutesAddendum,
)
from organizations.choices import Role
from organizations.models import Person
from tests.factories import MeetingFactory, OrganizationFactory, PersonFactory, member
from tracker.exceptions import ApplicationError, ConflictError, PermissionDeniedError

from .conftest import START

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Meeting, Attendance, AgendaItem, Decision, ActionItem, MeetingEvent, Person)
    )


def test_meeting_log_creates_everything_in_one_call(log_meeting: Any, org_a: Any) -> None:
    estates = OrganizationFactory(name="شهرک‌های صنعتی")
    meeting = log_meeting(
        attendances=[
            services.AttendanceInput(
                person=Person.objects.get(full_name="مسعود مختاری"), role="chair"
            ),
            services.AttendanceInput(
                group_label="هیئت همراه", organization=estates, head_count=None
            ),
            services.AttendanceInput(
                new_person_name="بهزاد  بهزادی",
                position_title="مدیر فنی",
                organization=estates,
            ),
        ]
    )

    rows = list(meeting.attendances.order_by("order"))
    assert [r.display_name for r in rows] == ["مسعود مختاری", "هیئت همراه", "بهزاد بهزادی"]
    assert rows[0].organization == org_a
    assert rows[0].position_title == "شهردار"
    assert rows[2].person is not None
    assert rows[2].position_title == "مدیر فنی"
    assert set(meeting.participants.all()) == {estates}
    decision = meeting.decisions.get()
    assert decision.agenda_item == meeting.agenda_items.get()
    assert meeting.action_items.get().decision == decision
    assert MeetingEvent.objects.filter(meeting=meeting, kind="logged").count() == 1


def test_meeting_log_calls_the_reminders_hook_for_meeting_and_items(log_meeting: Any) -> None:
    # The meeting's refresh is in services.log, its items' in services.rows.
    with (
        mock.patch("meetings.services.log.reminders_refresh") as meeting_hook,
        mock.patch("meetings.services.rows.reminders_refresh") as item_hook,
    ):
        meeting = log_meeting()
    calls = meeting_hook.call_args_list + item_hook.call_args_list
    targets = [call.kwargs["target"] for call in calls]
    assert meeting in targets
    assert meeting.action_items.get() in targets


def test_attendance_keeps_the_title_held_at_the_meeting(log_meeting: Any, staff_a: Any) -> None:
    meeting = log_meeting()
    person = Person.objects.get(full_name="مسعود مختاری")
    person.position_title = "بازنشسته"
    person.organization = OrganizationFactory.create()
    person.save()
    attendance = meeting.attendances.get()
    assert attendance.position_title == "شهردار"
    assert attendance.organization == meeting.host


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": START - timedelta(hours=1)}, "end"),
        ({"end": START}, "end"),
        ({"title": "   "}, "title"),
        ({"minutes": "ا" * (MAX_MINUTES_LENGTH + 1)}, "minutes"),
        ({"attendances": [services.AttendanceInput()]}, "attendances.0.person"),
        ({"agenda_items": [services.AgendaItemInput(title="")]}, "agenda_items.0.title"),
        (
            {"decisions": [services.DecisionInput(text="x", agenda_index=5)]},
            "decisions.0.agenda_index",
        ),
    ],
)
def test_meeting_log_refuses_bad_input_naming_the_field(
    log_meeting: Any, overrides: dict[str, Any], field: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as info:
        log_meeting(**overrides)
    assert field in info.value.message_dict
    assert all(isinstance(m, str) and m for m in info.value.message_dict[field])
    assert _counts() == before


def test_attendance_with_both_person_and_group_is_refused(
    log_meeting: Any, person_a: Any, org_a: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        log_meeting(
            attendances=[
                services.AttendanceInput(person=person_a, group_label="هیئت", organization=org_a)
            ]
        )
    assert "attendances.0.person" in info.value.message_dict


def test_same_person_twice_is_refused_and_nothing_is_saved(log_meeting: Any, person_a: Any) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as info:
        log_meeting(
            attendances=[
                services.AttendanceInput(person=person_a),
                services.AttendanceInput(person=person_a),
            ]
        )
    assert "attendances.1.person" in info.value.message_dict
    assert _counts() == before


def test_due_date_before_the_meeting_is_refused(log_meeting: Any, org_a: Any) -> None:
    with pytest.raises(ValidationError) as info:
        log_meeting(
            action_items=[
                services.ActionItemInput(
                    description="x",
                    due_date=START.date() - timedelta(days=1),
                    owner_organization=org_a,
                )
            ]
        )
    assert "action_items.0.due_date" in info.value.message_dict


def test_action_item_without_owner_is_refused(log_meeting: Any) -> None:
    with pytest.raises(ValidationError) as info:
        log_meeting(action_items=[services.ActionItemInput(description="x", due_date=START.date())])
    assert "action_items.0.owner_person" in info.value.message_dict


def test_host_where_the_user_is_not_staff_is_refused(
    log_meeting: Any, org_b: Any, viewer_a: Any, org_a: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        log_meeting(host=org_b)
    assert "host" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        log_meeting(actor=viewer_a)
    assert "host" in info.value.message_dict


def test_person_of_another_scope_cannot_be_picked(log_meeting: Any, org_b: Any) -> None:
    stranger = PersonFactory(organization=org_b)
    with pytest.raises(ValidationError) as info:
        log_meeting(attendances=[services.AttendanceInput(person=stranger)])
    assert "attendances.0.person" in info.value.message_dict


def test_new_person_failure_rolls_back_everything(log_meeting: Any, org_a: Any) -> None:
    before = _counts()
    with pytest.raises(ValidationError):
        log_meeting(
            attendances=[
                services.AttendanceInput(
                    new_person_name="ن" * 300, organization=org_a, position_title="x"
                )
            ]
        )
    assert _counts() == before


def test_held_status_for_a_future_meeting_is_refused(log_meeting: Any) -> None:
    with pytest.raises(ValidationError) as info:
        log_meeting(start=START, now=START - timedelta(days=1))
    assert "status" in info.value.message_dict


def test_database_refuses_an_attendance_with_neither_person_nor_group(log_meeting: Any) -> None:
    meeting = log_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, organization=meeting.host)


def test_database_refuses_end_before_start(org_a: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(title="x", host=org_a, start=START, end=START - timedelta(hours=1))


def test_lifecycle_planned_held_approved(log_meeting: Any, staff_a: Any, manager_a: Any) -> None:
    meeting = log_meeting(status="planned", minutes="متن")
    meeting = services.meeting_mark_held(actor=staff_a, meeting=meeting)
    assert meeting.status == "held"
    with pytest.raises(PermissionDeniedError):
        services.minutes_approve(actor=staff_a, meeting=meeting)
    meeting = services.minutes_approve(actor=manager_a, meeting=meeting, now=START)
    assert meeting.status == "minutes_approved"
    assert meeting.minutes_approved_by == manager_a
    with pytest.raises(ConflictError):
        services.meeting_cancel(actor=staff_a, meeting=meeting)
    kinds = list(MeetingEvent.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert kinds == ["logged", "held", "minutes_approved"]


def test_cancel_only_a_planned_meeting(log_meeting: Any, staff_a: Any) -> None:
    planned = log_meeting(status="planned")
    cancelled = services.meeting_cancel(
        actor=staff_a, meeting=planned, reason="تعویق", open_items="keep"
    )
    assert cancelled.status == "cancelled"
    assert cancelled.cancel_reason == "تعویق"
    with pytest.raises(ConflictError):
        services.meeting_mark_held(actor=staff_a, meeting=cancelled)


def test_approved_minutes_are_read_only_and_take_addenda(
    log_meeting: Any, staff_a: Any, manager_a: Any
) -> None:
    meeting = log_meeting(minutes="متن اصلی")
    services.minutes_approve(actor=manager_a, meeting=meeting)
    with pytest.raises(ApplicationError) as info:
        services.meeting_update(actor=staff_a, meeting=meeting, minutes="تغییر")
    assert info.value.field == "status"
    assert info.value.status == 409  # a state conflict
    meeting.refresh_from_db()
    assert meeting.minutes == "متن اصلی"
    addendum = services.minutes_addendum_add(actor=staff_a, meeting=meeting, text="اصلاح نام")
    assert addendum.author == staff_a
    assert MinutesAddendum.objects.filter(meeting=meeting).count() == 1


def test_meeting_update_replaces_lists_and_keeps_decisions_with_action_items(
    log_meeting: Any, staff_a: Any, person_a2: Any
) -> None:
    meeting = log_meeting()
    services.meeting_update(
        actor=staff_a,
        meeting=meeting,
        title="عنوان تازه",
        attendances=[services.AttendanceInput(person=person_a2)],
        agenda_items=[
            services.AgendaItemInput(title="الف"),
            services.AgendaItemInput(title="ب"),
        ],
    )
    meeting.refresh_from_db()
    assert meeting.title == "عنوان تازه"
    assert [a.person for a in meeting.attendances.all()] == [person_a2]
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["الف", "ب"]
    with pytest.raises(ValidationError) as info:
        services.meeting_update(actor=staff_a, meeting=meeting, decisions=[])
    assert "decisions" in info.value.message_dict
    assert meeting.decisions.count() == 1


def test_meeting_update_refuses_end_before_start(log_meeting: Any, staff_a: Any) -> None:
    meeting = log_meeting()
    with pytest.raises(ValidationError) as info:
        services.meeting_update(actor=staff_a, meeting=meeting, end=START - timedelta(minutes=5))
    assert "end" in info.value.message_dict


def test_other_organisation_cannot_change_the_meeting(log_meeting: Any, staff_b: Any) -> None:
    meeting = log_meeting()
    with pytest.raises(PermissionDeniedError):
        services.meeting_update(actor=staff_b, meeting=meeting, title="x")
    with pytest.raises(PermissionDeniedError):
        services.meeting_cancel(actor=staff_b, meeting=meeting)


def test_action_item_complete_and_reassign(
    log_meeting: Any, staff_a: Any, person_a2: Any, org_a: Any
) -> None:
    meeting = log_meeting()
    item = meeting.action_items.get()
    item = services.action_item_reassign(
        actor=staff_a,
        action_item=item,
        owner_person=person_a2,
        due_date=START.date() + timedelta(days=10),
    )
    assert item.owner_person == person_a2
    assert item.owner_organization is None
    assert item.due_date == START.date() + timedelta(days=10)
    item = services.action_item_complete(actor=staff_a, action_item=item, now=START)
    assert item.status == "done"
    assert item.completed_at == START
    with pytest.raises(ConflictError):
        services.action_item_complete(actor=staff_a, action_item=item)
    with pytest.raises(ConflictError):
        services.action_item_reassign(actor=staff_a, action_item=item, owner_organization=org_a)


def test_owner_person_with_a_login_may_complete_their_item(
    log_meeting: Any, org_b: Any, staff_a: Any
) -> None:
    outsider = member(org_b, Role.VIEWER, username="owner_b")
    owner = PersonFactory(organization=staff_a.memberships.get().organization, user=outsider)
    meeting = log_meeting()
    item = services.action_item_create(
        actor=staff_a,
        meeting=meeting,
        description="پیگیری",
        due_date=START.date(),
        owner_person=owner,
    )
    services.action_item_complete(actor=outsider, action_item=item)
    item.refresh_from_db()
    assert item.status == "done"


def test_reassign_refuses_a_due_date_before_the_meeting(log_meeting: Any, staff_a: Any) -> None:
    item = log_meeting().action_items.get()
    with pytest.raises(ValidationError) as info:
        services.action_item_reassign(
            actor=staff_a,
            action_item=item,
            owner_organization=item.owner_organization,
            due_date=START.date() - timedelta(days=3),
        )
    assert "due_date" in info.value.message_dict


def test_action_item_create_on_a_cancelled_meeting_is_refused(
    log_meeting: Any, staff_a: Any, org_a: Any
) -> None:
    meeting = services.meeting_cancel(
        actor=staff_a, meeting=log_meeting(status="planned", action_items=[])
    )
    with pytest.raises(ApplicationError):
        services.action_item_create(
            actor=staff_a,
            meeting=meeting,
            description="x",
            due_date=START.date(),
            owner_organization=org_a,
        )


def test_new_series_links_follow_up_meetings(log_meeting: Any) -> None:
    first = log_meeting(new_series_title="تفاهم‌نامه قدس")
    second = log_meeting(series=first.series, start=START + timedelta(days=7), action_items=[])
    assert first.series == second.series


def test_series_of_another_organisation_cannot_be_used(
    log_meeting: Any, org_b: Any, staff_b: Any
) -> None:
    other = MeetingFactory(host=org_b, series=None)
    other.series = MeetingSeries.objects.create(title="ب")
    other.save()
    with pytest.raises(ValidationError) as info:
        log_meeting(series=other.series)
    assert "series" in info.value.message_dict


def test_calendar_feed_token_create_revokes_the_previous_one(staff_a: Any) -> None:
    from meetings.selectors import calendar_feed_user

    _, first = services.calendar_feed_token_create(actor=staff_a)
    _, second = services.calendar_feed_token_create(actor=staff_a)
    assert calendar_feed_user(key=first) is None
    assert calendar_feed_user(key=second) == staff_a
    services.calendar_feed_token_revoke(actor=staff_a)
    assert calendar_feed_user(key=second) is None


def test_meeting_link_agreement_needs_both_visible_and_staff_in_host(
    log_meeting: Any, staff_a: Any, viewer_a: Any, org_a: Any, org_b: Any
) -> None:
    from tests.factories import AgreementFactory

    meeting = log_meeting()
    own = AgreementFactory(owning_organization=org_a)
    foreign = AgreementFactory(owning_organization=org_b)
    services.meeting_link_agreement(actor=staff_a, meeting=meeting, agreement=own)
    services.meeting_link_agreement(actor=staff_a, meeting=meeting, agreement=own)  # idempotent
    assert list(meeting.agreements.all()) == [own]
    assert list(own.meetings.all()) == [meeting]
    with pytest.raises(ApplicationError) as info:
        services.meeting_link_agreement(actor=staff_a, meeting=meeting, agreement=foreign)
    assert info.value.status == 404
    with pytest.raises(PermissionDeniedError):
        services.meeting_link_agreement(actor=viewer_a, meeting=meeting, agreement=own)
    assert MeetingEvent.objects.filter(meeting=meeting, kind="agreement_linked").count() == 2
