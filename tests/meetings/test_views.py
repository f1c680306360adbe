"""Pages: list with filters, detail, the «ثبت جلسه» form, action items, scoping, queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meetings.models import ActionItem, Attendance, Meeting
from organizations.models import Person
from organizations.scoping import forget_scope
from tests.factories import ActionItemFactory, AttendanceFactory, MeetingFactory, PersonFactory

from .conftest import START

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(org_a: Any, person_a: Any, **overrides: str) -> dict[str, str]:
    data = {
        "title": "جلسه هماهنگی",
        "kind": "coordination",
        "status": "held",
        "start": "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰",
        "end": "",
        "location": "محل شهرداری",
        "host": str(org_a.pk),
        "minutes": "متن صورتجلسه",
        "attendances-TOTAL_FORMS": "3",
        "attendances-INITIAL_FORMS": "0",
        "attendances-0-person": str(person_a.pk),
        "attendances-0-role": "chair",
        "attendances-0-status": "present",
        "attendances-1-new_person_name": "بهزاد بهزادی",
        "attendances-1-position_title": "مدیر فنی",
        "attendances-1-organization": str(org_a.pk),
        "attendances-1-role": "member",
        "attendances-1-status": "present",
        "attendances-2-group_label": "هیئت همراه",
        "attendances-2-organization": str(org_a.pk),
        "attendances-2-head_count": "۳",
        "attendances-2-role": "guest",
        "attendances-2-status": "present",
        "agenda_items-TOTAL_FORMS": "2",
        "agenda_items-INITIAL_FORMS": "0",
        "agenda_items-0-title": "خدمات شهرداری",
        "agenda_items-1-title": "",
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": "تهیه پیش‌نویس",
        "decisions-0-agenda_number": "1",
        "action_items-TOTAL_FORMS": "1",
        "action_items-INITIAL_FORMS": "0",
        "action_items-0-description": "ارسال پیش‌نویس",
        "action_items-0-owner_organization": str(org_a.pk),
        "action_items-0-due_date": "۱۳۹۹/۰۵/۲۰",
        "action_items-0-decision_number": "1",
    }
    data.update(overrides)
    return data


def test_meeting_form_logs_everything_and_skips_empty_rows(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    response = _client(staff_a).post("/meetings/new/", _form_data(org_a, person_a))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    names = [a.display_name for a in meeting.attendances.order_by("order")]
    assert names == ["مسعود مختاری", "بهزاد بهزادی", "هیئت همراه"]
    assert meeting.attendances.get(group_label="هیئت همراه").head_count == 3
    assert meeting.agenda_items.count() == 1
    assert meeting.decisions.get().agenda_item == meeting.agenda_items.get()
    assert meeting.action_items.get().decision == meeting.decisions.get()


def test_meeting_form_errors_keep_input_and_save_nothing(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    before = (Meeting.objects.count(), Person.objects.count(), Attendance.objects.count())
    data = _form_data(
        org_a,
        person_a,
        **{
            "end": "۱۳۹۹/۰۵/۱۱ ۰۹:۰۰",
            "attendances-1-organization": "",
            "action_items-0-due_date": "۱۳۹۹/۰۵/۰۱",
        },
    )
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "زمان پایان باید بعد از زمان شروع باشد" in html
    assert "سازمان این ردیف را انتخاب کنید" in html
    assert "نمی‌تواند پیش از تاریخ جلسه" in html
    assert "بهزاد بهزادی" in html  # what was typed is still there
    assert "ارسال پیش‌نویس" in html
    assert (Meeting.objects.count(), Person.objects.count(), Attendance.objects.count()) == before


def test_meeting_form_refuses_an_impossible_jalali_date(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    data = _form_data(org_a, person_a, start="۱۴۰۰/۱۲/۳۰ ۱۰:۰۰")
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 400
    assert "اسفند ۱۴۰۰ ۲۹ روز دارد" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_list_filters_by_normalised_text_and_jalali_range(staff_a: Any, org_a: Any) -> None:
    MeetingFactory(host=org_a, title="جلسه شهرك صنعتي", start=START)
    MeetingFactory(host=org_a, title="جلسه دیگر", start=START)
    client = _client(staff_a)
    html = client.get("/meetings/", {"q": "شهرک صنعتی"}).content.decode()
    assert "جلسه شهرك صنعتي" in html
    assert "جلسه دیگر" not in html
    in_range = client.get("/meetings/", {"date_from": "۱۳۹۹/۰۵/۱۱", "date_to": "۱۳۹۹/۰۵/۱۱"})
    assert "جلسه دیگر" in in_range.content.decode()
    out = client.get("/meetings/", {"date_from": "۱۳۹۹/۰۵/۱۲"}).content.decode()
    assert "جلسه دیگر" not in out
    bad = client.get("/meetings/", {"date_from": "۱۴۰۰/۱۲/۳۰"})
    assert bad.status_code == 200


def test_other_organisation_gets_404_on_pages(staff_b: Any, org_a: Any) -> None:
    meeting = MeetingFactory(host=org_a, title="محرمانه")
    item = ActionItemFactory(meeting=meeting)
    client = _client(staff_b)
    assert "محرمانه" not in client.get("/meetings/").content.decode()
    for url in (
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/minutes/",
        f"/meetings/{meeting.pk}/minutes.pdf",
        f"/meetings/{meeting.pk}/meeting.ics",
        f"/meetings/action-items/{item.pk}/reassign/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/meetings/{meeting.pk}/cancel/").status_code == 404
    assert client.post(f"/meetings/action-items/{item.pk}/complete/").status_code == 404
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.status, item.status) == ("planned", "open")


def test_action_item_page_views_and_buttons(staff_a: Any, org_a: Any) -> None:
    me = PersonFactory(organization=org_a, user=staff_a)
    meeting = MeetingFactory(host=org_a, start=START)
    mine = ActionItemFactory(meeting=meeting, owner_person=me, description="کار من")
    ActionItemFactory(meeting=meeting, description="کار سازمان")
    client = _client(staff_a)
    html = client.get("/meetings/action-items/", {"view": "mine"}).content.decode()
    assert "کار من" in html
    assert "کار سازمان" not in html
    overdue = client.get("/meetings/action-items/", {"view": "overdue"}).content.decode()
    assert "معوق" in overdue
    assert "کار سازمان" in overdue
    client.post(f"/meetings/action-items/{mine.pk}/complete/")
    mine.refresh_from_db()
    assert mine.status == "done"


def _rows(org: Any, n: int) -> None:
    for _ in range(n):
        meeting = MeetingFactory(host=org, start=START)
        meeting.participants.add(org)
        AttendanceFactory(meeting=meeting, person=PersonFactory(organization=org))
        ActionItemFactory(meeting=meeting, owner_person=PersonFactory(organization=org))


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, scope (2), count, page, participants prefetch, the filter's
        # choices of organisations, agreements and series (each rendered once), the inbox
        # badge of base.html.
        ("/meetings/", 11),
        # session, user, scope (2), count, page (all joins), the filter's choices of people,
        # organisations, agreements and meetings (each rendered once), the inbox badge.
        ("/meetings/action-items/?view=overdue", 11),
    ],
)
def test_page_query_counts_do_not_grow(
    staff_a: Any, org_a: Any, url: str, queries: int, django_assert_num_queries: Any
) -> None:
    client = _client(staff_a)
    for n in (5, 45):
        _rows(org_a, n)
        forget_scope(staff_a)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_detail_page_query_count_does_not_grow(
    staff_a: Any, org_a: Any, django_assert_num_queries: Any
) -> None:
    meeting = MeetingFactory(host=org_a, start=START)
    client = _client(staff_a)
    counts = []
    for n in (5, 45):
        for _ in range(n):
            AttendanceFactory(meeting=meeting, person=PersonFactory(organization=org_a))
            ActionItemFactory(meeting=meeting)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert ActionItem.objects.filter(meeting=meeting).count() == 50


def test_admin_pages_render_with_inlines(django_user_model: Any) -> None:
    from meetings import demo

    seed = demo.load()
    admin_user = django_user_model.objects.get(username="admin")
    client = _client(admin_user)
    for url in (
        "/admin/meetings/meeting/",
        f"/admin/meetings/meeting/{seed.pk}/change/",
        "/admin/meetings/actionitem/",
        "/admin/meetings/attendance/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    change = client.get(f"/admin/meetings/meeting/{seed.pk}/change/").content.decode()
    assert "هیئت همراه" in change
    assert "۱۳۹۹/۰۵/۱۱" in change


def test_home_page_shows_upcoming_meetings_and_overdue_count(staff_a: Any, org_a: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    MeetingFactory(host=org_a, title="جلسه آینده", start=timezone.now() + timedelta(days=2))
    ActionItemFactory(meeting=MeetingFactory(host=org_a, start=START), due_date=START.date())
    html = _client(staff_a).get("/").content.decode()
    assert "جلسات پیش رو" in html
    assert "جلسه آینده" in html
    assert "اقدامات معوق" in html
