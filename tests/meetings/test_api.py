"""API of meetings and action items: nested create, errors naming fields, scoping, queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetings.models import ActionItem, Attendance, Meeting
from organizations.scoping import forget_scope
from tests.factories import ActionItemFactory, AttendanceFactory, MeetingFactory, PersonFactory

from .conftest import START

pytestmark = pytest.mark.django_db


def _payload(org_a: Any, person_a: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "جلسه هماهنگی پیش‌نویس تفاهم‌نامه",
        "kind": "coordination",
        "status": "held",
        "start": "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰",
        "location": "محل شهرداری قدس",
        "host": org_a.pk,
        "attendances": [
            {"person": person_a.pk, "role": "chair"},
            {"group_label": "هیئت همراه", "organization": org_a.pk},
        ],
        "agenda_items": [{"title": "خدمات شهرداری"}, {"title": "برندسازی"}],
        "decisions": [{"text": "تهیه پیش‌نویس", "agenda_index": 0}],
        "action_items": [
            {
                "description": "ارسال پیش‌نویس",
                "due_date": "1399/05/20",
                "owner_organization": org_a.pk,
                "decision_index": 0,
            }
        ],
    }
    body.update(overrides)
    return body


def test_create_with_nested_rows_and_jalali_twins(
    client_for: Any, staff_a: Any, org_a: Any, person_a: Any
) -> None:
    response = client_for(staff_a).post(
        "/api/v1/meetings/", _payload(org_a, person_a), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start"].startswith("2020-08-01T10:00:00")
    assert body["start_jalali"] == "1399/05/11 10:00"
    assert [a["name"] for a in body["attendances"]] == ["مسعود مختاری", "هیئت همراه"]
    assert [a["title"] for a in body["agenda_items"]] == ["خدمات شهرداری", "برندسازی"]
    assert body["decisions"][0]["agenda_item"] == body["agenda_items"][0]["id"]
    assert body["action_items"][0]["due_date"] == "2020-08-10"
    assert body["action_items"][0]["due_date_jalali"] == "1399/05/20"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": "1399/05/11 09:00"}, "end"),
        ({"attendances": [{"role": "member"}]}, "attendances.0.person"),
        (
            {"attendances": [{"person": None, "group_label": "گروه", "organization": None}]},
            "attendances.0.organization",
        ),
        ({"minutes": "ب" * 200_001}, "minutes"),
        ({"start": "1400/12/30 10:00"}, "start"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(
    client_for: Any,
    staff_a: Any,
    org_a: Any,
    person_a: Any,
    overrides: dict[str, Any],
    field: str,
) -> None:
    response = client_for(staff_a).post(
        "/api/v1/meetings/", _payload(org_a, person_a, **overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Meeting.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_same_person_twice_and_due_date_before_meeting_are_400(
    client_for: Any, staff_a: Any, org_a: Any, person_a: Any
) -> None:
    body = _payload(
        org_a,
        person_a,
        attendances=[{"person": person_a.pk}, {"person": person_a.pk}],
        action_items=[
            {"description": "x", "due_date": "1399/05/01", "owner_organization": org_a.pk}
        ],
    )
    response = client_for(staff_a).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "attendances.1.person" in errors
    assert "action_items.0.due_date" in errors
    assert Meeting.objects.count() == 0


def test_host_the_user_may_not_use_is_400(
    client_for: Any, staff_b: Any, org_a: Any, person_a: Any
) -> None:
    body = _payload(org_a, person_a, attendances=[])
    response = client_for(staff_b).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    assert "host" in response.json()


def test_lifecycle_actions(
    client_for: Any, staff_a: Any, manager_a: Any, org_a: Any, person_a: Any
) -> None:
    created = client_for(staff_a).post(
        "/api/v1/meetings/",
        _payload(org_a, person_a, status="planned", minutes="متن"),
        format="json",
    )
    pk = created.json()["id"]
    assert client_for(staff_a).post(f"/api/v1/meetings/{pk}/mark-held/").json()["status"] == "held"
    assert client_for(staff_a).post(f"/api/v1/meetings/{pk}/approve-minutes/").status_code == 403
    approved = client_for(manager_a).post(f"/api/v1/meetings/{pk}/approve-minutes/")
    assert approved.json()["status"] == "minutes_approved"
    edit = client_for(staff_a).patch(f"/api/v1/meetings/{pk}/", {"minutes": "x"}, format="json")
    assert edit.status_code == 409  # a state conflict, like cancelling it
    assert "status" in edit.json()
    assert client_for(staff_a).post(f"/api/v1/meetings/{pk}/cancel/").status_code == 409
    addendum = client_for(staff_a).post(
        f"/api/v1/meetings/{pk}/addenda/", {"text": "اصلاحیه"}, format="json"
    )
    assert addendum.status_code == 201


def test_update_while_not_approved(
    client_for: Any, staff_a: Any, org_a: Any, person_a: Any
) -> None:
    pk = (
        client_for(staff_a)
        .post("/api/v1/meetings/", _payload(org_a, person_a), format="json")
        .json()["id"]
    )
    response = client_for(staff_a).patch(
        f"/api/v1/meetings/{pk}/",
        {"title": "عنوان تازه", "agenda_items": [{"title": "تنها موضوع"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "عنوان تازه"
    assert [a["title"] for a in response.json()["agenda_items"]] == ["تنها موضوع"]


def test_cancel_a_planned_meeting(client_for: Any, staff_a: Any, org_a: Any) -> None:
    meeting = MeetingFactory(host=org_a)
    response = client_for(staff_a).post(
        f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "تعویق"}, format="json"
    )
    assert response.json()["status"] == "cancelled"


def test_organisation_b_cannot_see_or_change_a_meetings_and_items(
    client_for: Any, staff_b: Any, org_a: Any
) -> None:
    meeting = MeetingFactory(host=org_a, title="محرمانه")
    item = ActionItemFactory(meeting=meeting)
    client = client_for(staff_b)
    assert client.get("/api/v1/meetings/").json()["count"] == 0
    assert client.get("/api/v1/action-items/").json()["count"] == 0
    urls = [
        ("get", f"/api/v1/meetings/{meeting.pk}/"),
        ("patch", f"/api/v1/meetings/{meeting.pk}/"),
        ("delete", f"/api/v1/meetings/{meeting.pk}/"),
        ("post", f"/api/v1/meetings/{meeting.pk}/cancel/"),
        ("post", f"/api/v1/meetings/{meeting.pk}/mark-held/"),
        ("post", f"/api/v1/meetings/{meeting.pk}/approve-minutes/"),
        ("get", f"/api/v1/action-items/{item.pk}/"),
        ("post", f"/api/v1/action-items/{item.pk}/complete/"),
        ("post", f"/api/v1/action-items/{item.pk}/reassign/"),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"title": "x"}, format="json")
        assert response.status_code in (404, 405), (url, response.status_code)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.title, meeting.status, item.status) == ("محرمانه", "planned", "open")


def test_participant_organisation_sees_the_meeting(
    client_for: Any, staff_b: Any, org_a: Any, org_b: Any
) -> None:
    meeting = MeetingFactory(host=org_a)
    meeting.participants.add(org_b)
    assert client_for(staff_b).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200


def test_action_item_filters_and_actions(client_for: Any, staff_a: Any, org_a: Any) -> None:
    meeting = MeetingFactory(host=org_a, start=START)
    late = ActionItemFactory(meeting=meeting, due_date=date(2020, 8, 2))
    future = ActionItemFactory(meeting=meeting, due_date=timezone.localdate() + timedelta(days=30))
    client = client_for(staff_a)
    overdue = client.get("/api/v1/action-items/?overdue=true").json()
    assert [r["id"] for r in overdue["results"]] == [late.pk]
    unclear = client.get("/api/v1/action-items/?overdue=maybe")
    assert unclear.status_code == 400  # (it listed every item)
    assert "overdue" in unclear.json()
    assert overdue["results"][0]["is_overdue"] is True
    before = client.get("/api/v1/action-items/?due_before=1399/06/01").json()
    assert [r["id"] for r in before["results"]] == [late.pk]
    done = client.post(f"/api/v1/action-items/{future.pk}/complete/", {}, format="json")
    assert done.json()["status"] == "done"
    person = PersonFactory(organization=org_a)
    moved = client.post(
        f"/api/v1/action-items/{late.pk}/reassign/",
        {"owner_person": person.pk, "due_date": "1399/06/01"},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["owner_person"] == person.pk
    assert moved.json()["due_date_jalali"] == "1399/06/01"
    created = client.post(
        "/api/v1/action-items/",
        {
            "meeting": meeting.pk,
            "description": "تازه",
            "due_date": "1399/05/12",
            "owner_organization": org_a.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert ActionItem.objects.count() == 3


def _rows(org: Any, n: int) -> None:
    for _ in range(n):
        meeting = MeetingFactory(host=org, start=START)
        meeting.participants.add(org)
        AttendanceFactory(meeting=meeting, person=PersonFactory(organization=org))
        ActionItemFactory(meeting=meeting, owner_person=PersonFactory(organization=org))


# Meetings: the scope (memberships, organisation tree), count, page, participants prefetch.
# Action items: the scope (2), count, page (meeting, host, owners, decision joined in).
@pytest.mark.parametrize(
    ("url", "queries"), [("/api/v1/meetings/", 5), ("/api/v1/action-items/", 4)]
)
def test_list_query_count_does_not_grow_with_rows(
    client_for: Any,
    staff_a: Any,
    org_a: Any,
    url: str,
    queries: int,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(staff_a)
    for rows, total in ((5, 5), (45, 50)):
        _rows(org_a, rows)
        forget_scope(staff_a)
        with django_assert_num_queries(queries):
            body = client.get(url).json()
        assert body["count"] == total
