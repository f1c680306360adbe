"""Invitations, not pushes: a participant organisation declines a meeting another
organisation named it in (and may accept it again). Declined, the meeting leaves that
organisation's lists, calendar feed and reminders, its people cannot be named as new
attendees, and the host sees who declined."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from meetings import selectors, services
from meetings.choices import MeetingEventKind
from meetings.models import MeetingEvent, ParticipantResponse
from notifications import services as notification_services
from notifications.choices import ReminderState
from notifications.models import Delivery, Reminder
from notifications.tasks import send_delivery_chunk
from organizations.choices import Role
from tests.factories import (
    AttendanceFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    member,
)

pytestmark = pytest.mark.django_db


def _web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def person_b(org_b: Any, staff_b: Any) -> Any:
    """B's person with a login (staff_b): reminded of meetings they attend."""
    return PersonFactory(full_name="رضا کریمی", organization=org_b, user=staff_b)


@pytest.fixture
def pushed(staff_a: Any, org_a: Any, org_b: Any, person_b: Any) -> Any:
    """A meeting A logs three days ahead naming B: B's delegation, B's person invited (with
    a login, so reminded), an action item of B's."""
    start = timezone.now() + timedelta(days=3)
    meeting = services.meeting_log(
        actor=staff_a,
        title="جلسه تحمیلی",
        host=org_a,
        start=start,
        participants=[org_b],
        attendances=[
            services.AttendanceInput(group_label="هیئت همراه", organization=org_b, head_count=3)
        ],
    )
    # A's staff cannot pick B's people (they are not in A's scope); the row is what an
    # earlier edit by someone who could left behind.
    AttendanceFactory(meeting=meeting, person=person_b, organization=org_b, status="invited")
    notification_services.reminders_refresh(target=meeting)
    services.action_item_create(
        actor=staff_a,
        meeting=meeting,
        description="کار سازمان ب",
        due_date=timezone.localdate() + timedelta(days=5),
        owner_organization=org_b,
    )
    return meeting


def _listed(user: Any, meeting: Any) -> bool:
    return selectors.meeting_list_for_user(user=user).filter(pk=meeting.pk).exists()


def _decline(user: Any, meeting: Any, **extra: Any) -> Any:
    return _api(user).post(
        f"/api/v1/meetings/{meeting.pk}/respond/", {"response": "declined", **extra}, format="json"
    )


def test_declining_takes_the_meeting_out_of_the_participants_lists_and_calendar(
    pushed: Any, staff_a: Any, staff_b: Any
) -> None:
    web = _web(staff_b)
    _, key = services.calendar_feed_token_create(actor=staff_b)
    assert pushed.title in web.get("/meetings/").content.decode()
    assert pushed.title in Client().get(f"/meetings/calendar/{key}.ics").content.decode()
    api_ids = [m["id"] for m in _api(staff_b).get("/api/v1/meetings/").json()["results"]]
    assert pushed.pk in api_ids

    response = _decline(staff_b, pushed)

    assert response.status_code == 200, response.content
    assert response.json()["participant_responses"][0]["response"] == "declined"
    assert not _listed(staff_b, pushed)
    assert pushed.title not in web.get("/meetings/").content.decode()
    assert pushed.title not in web.get("/").content.decode()
    assert pushed.title not in Client().get(f"/meetings/calendar/{key}.ics").content.decode()
    api_ids = [m["id"] for m in _api(staff_b).get("/api/v1/meetings/").json()["results"]]
    assert pushed.pk not in api_ids
    # The work given to B stays B's: its item is still in B's action items.
    items = _api(staff_b).get("/api/v1/action-items/").json()["results"]
    assert [i["description"] for i in items if i["meeting"] == pushed.pk] == ["کار سازمان ب"]
    # The meeting page stays reachable for B (to accept again), and still lists for A.
    page = web.get(f"/meetings/{pushed.pk}/").content.decode()
    assert "پذیرش دعوت" in page
    assert _listed(staff_a, pushed)


def test_the_host_sees_who_declined_on_the_page_and_in_the_api(
    pushed: Any, staff_a: Any, staff_b: Any, org_b: Any
) -> None:
    _decline(staff_b, pushed)
    page = _web(staff_a).get(f"/meetings/{pushed.pk}/").content.decode()
    assert "دعوت را رد کرده‌اند" in page
    assert org_b.name in page
    assert "رد دعوت" not in page  # the host has no invitation to answer
    detail = _api(staff_a).get(f"/api/v1/meetings/{pushed.pk}/").json()
    assert [(r["organization"], r["response"]) for r in detail["participant_responses"]] == [
        (org_b.pk, "declined")
    ]


def test_accepting_again_brings_it_back_and_each_answer_is_one_history_row(
    pushed: Any, staff_b: Any
) -> None:
    _decline(staff_b, pushed)
    _decline(staff_b, pushed)  # the same answer twice: no second row
    response = _api(staff_b).post(
        f"/api/v1/meetings/{pushed.pk}/respond/", {"response": "accepted"}, format="json"
    )
    assert response.status_code == 200
    assert _listed(staff_b, pushed)
    kinds = list(
        MeetingEvent.objects.filter(meeting=pushed)
        .filter(kind__startswith="invitation")
        .values_list("kind", "actor_id", "data")
    )
    org_id = pushed.participants.get().pk
    assert kinds == [
        (MeetingEventKind.INVITATION_DECLINED, staff_b.pk, {"organization": org_id}),
        (MeetingEventKind.INVITATION_ACCEPTED, staff_b.pk, {"organization": org_id}),
    ]
    assert ParticipantResponse.objects.get(meeting=pushed).response == "accepted"


def test_only_staff_of_a_participant_answer_and_never_the_host(
    pushed: Any, staff_a: Any, org_a: Any, org_b: Any
) -> None:
    viewer_b = member(org_b, Role.VIEWER, username="viewer_b")
    refused = _decline(viewer_b, pushed)
    assert refused.status_code == 403
    assert "نقش" in refused.json()["detail"]
    host = _decline(staff_a, pushed, organization=org_a.pk)
    assert host.status_code == 400
    assert "میزبان" in str(host.json())
    # staff_a is in no participant: without an organisation the answer is a Persian 403.
    assert _decline(staff_a, pushed).status_code == 403
    # Another organisation's staff: the meeting does not exist for them.
    outsider = member(OrganizationFactory(name="شهرک ج"), Role.MANAGER, username="c")
    assert _decline(outsider, pushed).status_code == 404
    assert _web(outsider).post(f"/meetings/{pushed.pk}/respond/").status_code == 404
    # Naming an organisation that is not a participant is a 400 naming the field.
    other = _decline(staff_a, pushed, organization=OrganizationFactory().pk)
    assert other.status_code == 400
    assert not ParticipantResponse.objects.exists()


def test_the_page_button_declines_and_accepts(pushed: Any, staff_b: Any, org_b: Any) -> None:
    web = _web(staff_b)
    page = web.get(f"/meetings/{pushed.pk}/").content.decode()
    assert "رد دعوت" in page
    data = {"organization": org_b.pk, "response": "declined"}
    response = web.post(f"/meetings/{pushed.pk}/respond/", data, follow=True)
    assert "رد شد" in response.content.decode()
    assert not _listed(staff_b, pushed)
    web.post(f"/meetings/{pushed.pk}/respond/", {**data, "response": "accepted"})
    assert _listed(staff_b, pushed)
    # A viewer's press of a copied button is a refusal (403), not a redirect.
    viewer = member(org_b, Role.VIEWER, username="viewer_b")
    assert _web(viewer).post(f"/meetings/{pushed.pk}/respond/", data).status_code == 403


def test_people_of_a_declining_organisation_cannot_be_named_as_new_attendees(
    pushed: Any, staff_a: Any, staff_b: Any, org_b: Any
) -> None:
    _decline(staff_b, pushed)
    url = f"/api/v1/meetings/{pushed.pk}/"
    delegation = {"group_label": "هیئت همراه", "organization": org_b.pk, "head_count": 3}
    rows = [delegation, {"new_person_name": "نفر تازه", "organization": org_b.pk}]
    response = _api(staff_a).patch(url, {"attendances": rows}, format="json")
    assert response.status_code == 400
    message = str(response.json())
    assert "attendances.1.person" in message
    assert "attendances.0.person" not in message  # there before the answer: kept
    assert "دعوت این جلسه را رد کرده است" in message
    other_group = {**delegation, "group_label": "گروه دیگر"}
    response = _api(staff_a).patch(url, {"attendances": [other_group]}, format="json")
    assert response.status_code == 400
    assert "attendances.0.person" in str(response.json())
    # The row that was there is still accepted on its own.
    kept = _api(staff_a).patch(url, {"attendances": [delegation]}, format="json")
    assert kept.status_code == 200, kept.content


def _sweep(at: Any) -> Any:
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        return notification_services.reminders_sweep(now=at)


def test_no_meeting_reminder_reaches_a_declining_organisation_its_items_still_do(
    pushed: Any, staff_b: Any
) -> None:
    mine = Reminder.objects.filter(recipient=staff_b)
    of_meeting = mine.filter(object_id=pushed.pk, content_type__model="meeting")
    of_items = mine.filter(content_type__model="actionitem")
    assert of_meeting.filter(state=ReminderState.PENDING).exists()
    assert of_items.filter(state=ReminderState.PENDING).exists()
    _decline(staff_b, pushed)
    assert not of_meeting.filter(state=ReminderState.PENDING).exists()
    # The item B owes keeps its reminders.
    assert of_items.filter(state=ReminderState.PENDING).exists()
    # At the time of every meeting reminder it had, the sweep sends B nothing of the meeting.
    for due_at in sorted(set(of_meeting.values_list("due_at", flat=True))):
        _sweep(due_at + timedelta(minutes=1))
    assert not Delivery.objects.filter(
        recipient=staff_b, reminder__content_type__model="meeting"
    ).exists()


def test_accepting_again_plans_the_reminders_again_once(pushed: Any, staff_b: Any) -> None:
    _decline(staff_b, pushed)
    _api(staff_b).post(
        f"/api/v1/meetings/{pushed.pk}/respond/", {"response": "accepted"}, format="json"
    )
    live = Reminder.objects.filter(recipient=staff_b, state=ReminderState.PENDING)
    meeting_24h = live.filter(object_id=pushed.pk, kind="before:24h")
    assert meeting_24h.count() == 1
    due = meeting_24h.get().due_at
    _sweep(due + timedelta(minutes=1))
    _sweep(due + timedelta(minutes=2))  # twice: still one delivery per channel
    sent = Delivery.objects.filter(recipient=staff_b, reminder__kind="before:24h")
    assert sent.count() == len(set(sent.values_list("channel", flat=True))) >= 1


def test_a_member_of_host_and_declining_participant_still_sees_it(
    pushed: Any, org_a: Any, org_b: Any, staff_b: Any
) -> None:
    both = member(org_a, Role.VIEWER, username="both")
    MembershipFactory(user=both, organization=org_b, role=Role.STAFF)
    _decline(staff_b, pushed)
    assert _listed(both, pushed)


def test_a_parent_organisation_does_not_see_a_meeting_its_estate_declined(
    pushed: Any, org_b: Any, staff_b: Any
) -> None:
    parent = OrganizationFactory(name="شرکت شهرک‌ها")
    org_b.parent = parent
    org_b.save(update_fields=["parent"])
    provincial = member(parent, Role.MANAGER, username="provincial")
    assert _listed(provincial, pushed)
    _decline(staff_b, pushed)
    assert not _listed(provincial, pushed)


def test_the_list_marks_a_meeting_of_another_host_as_an_invitation(
    pushed: Any, staff_a: Any, staff_b: Any
) -> None:
    mark = "دعوت از میزبان"
    assert mark in _web(staff_b).get("/meetings/").content.decode()
    assert mark not in _web(staff_a).get("/meetings/").content.decode()


def test_the_edit_form_refuses_a_new_attendee_of_a_declining_organisation_in_persian(
    staff_a: Any, staff_b: Any, person_a: Any, org_b: Any, log_meeting: Any
) -> None:
    from tests.meetings.test_views_edit import _edit_data

    meeting = log_meeting(participants=[org_b])
    _decline(staff_b, meeting)
    data = _edit_data(
        meeting,
        person_a,
        **{
            "attendances-1-new_person_name": "نفر تازه",
            "attendances-1-organization": str(org_b.pk),
        },
    )

    response = _web(staff_a).post(f"/meetings/{meeting.pk}/edit/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "دعوت این جلسه را رد کرده است" in html
    assert 'value="نفر تازه"' in html  # what was typed stays
    assert not meeting.attendances.filter(organization=org_b).exists()
