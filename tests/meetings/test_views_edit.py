"""«ویرایش جلسه»: the «ثبت جلسه» form prefilled, saved through ``services.meeting_update``."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, MeetingEvent
from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory

from .conftest import START

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(meeting: Any) -> str:
    return f"/meetings/{meeting.pk}/edit/"


def _edit_data(meeting: Any, person_a: Any, **overrides: str) -> dict[str, str]:
    """What the prefilled form posts back for a ``log_meeting()`` meeting, unchanged."""
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "start": "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰",
        "end": "",
        "location": "",
        "host": str(meeting.host_id),
        "minutes": "",
        "attendances-TOTAL_FORMS": "2",
        "attendances-INITIAL_FORMS": "1",
        "attendances-0-person": str(person_a.pk),
        "attendances-0-organization": str(person_a.organization_id),
        "attendances-0-position_title": person_a.position_title,
        "attendances-0-role": "chair",
        "attendances-0-status": "present",
        "attendances-1-role": "member",
        "attendances-1-status": "present",
        "agenda_items-TOTAL_FORMS": "2",
        "agenda_items-INITIAL_FORMS": "1",
        "agenda_items-0-title": "خدمات شهرداری",
        "decisions-TOTAL_FORMS": "2",
        "decisions-INITIAL_FORMS": "1",
        "decisions-0-text": "تهیه پیش‌نویس",
        "decisions-0-agenda_number": "1",
    }
    data.update(overrides)
    return data


def test_edit_page_is_the_log_form_prefilled(staff_a: Any, person_a: Any, log_meeting: Any) -> None:
    meeting = log_meeting(end=START.replace(hour=12))
    response = _client(staff_a).get(_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ویرایش جلسه" in html
    assert 'value="جلسه هماهنگی"' in html
    assert 'value="۱۳۹۹/۰۵/۱۱ ۱۰:۰۰"' in html
    assert 'value="۱۲:۰۰"' in html  # the end as a time on the start's day
    assert f'<option value="{person_a.pk}" selected>' in html
    assert "خدمات شهرداری" in html
    assert "تهیه پیش‌نویس" in html
    assert 'name="attendances-INITIAL_FORMS" value="1"' in html
    # What meeting_update does not change is not offered.
    assert 'name="status"' not in html
    # Agreements are linked and unlinked here too (issue 13), as on «ثبت جلسه».
    assert 'name="agreements"' in html
    assert 'name="action_items-TOTAL_FORMS"' not in html


def test_detail_page_shows_the_edit_button_to_host_staff_only(
    staff_a: Any, viewer_a: Any, log_meeting: Any
) -> None:
    meeting = log_meeting()
    assert _url(meeting) in _client(staff_a).get(meeting.get_absolute_url()).content.decode()
    assert _url(meeting) not in _client(viewer_a).get(meeting.get_absolute_url()).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(
        status="minutes_approved", minutes_approved_at=meeting.start
    )
    assert _url(meeting) not in _client(staff_a).get(meeting.get_absolute_url()).content.decode()


def test_valid_edit_saves_through_the_service_and_redirects(
    staff_a: Any, person_a: Any, person_a2: Any, log_meeting: Any
) -> None:
    meeting = log_meeting()
    data = _edit_data(
        meeting,
        person_a,
        title="جلسه هماهنگی  دوم",
        end="۱۲:۳۰",
        **{
            "attendances-1-person": str(person_a2.pk),
            "agenda_items-1-title": "حمل و نقل",
            "decisions-1-text": "پیگیری",
            "decisions-1-agenda_number": "۲",
        },
    )
    client = _client(staff_a)
    response = client.post(_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert meeting.title == "جلسه هماهنگی دوم"  # normalised by the service
    assert meeting.end == START.replace(hour=12, minute=30)
    assert meeting.status == "held"
    assert [a.person_id for a in meeting.attendances.all()] == [person_a.pk, person_a2.pk]
    assert [a.title for a in meeting.agenda_items.all()] == ["خدمات شهرداری", "حمل و نقل"]
    decisions = list(meeting.decisions.select_related("agenda_item"))
    assert [(d.text, d.agenda_item.title) for d in decisions] == [  # type: ignore[union-attr]
        ("تهیه پیش‌نویس", "خدمات شهرداری"),
        ("پیگیری", "حمل و نقل"),
    ]
    assert meeting.action_items.count() == 1  # untouched
    event = MeetingEvent.objects.get(meeting=meeting, kind="updated")
    assert event.actor == staff_a
    assert event.data == {"fields": ["end", "title"]}  # only what changed
    page = client.get(response["Location"]).content.decode()
    assert "تغییرات جلسه ذخیره شد." in page


def test_prefilled_rows_can_be_deleted(staff_a: Any, person_a: Any, log_meeting: Any) -> None:
    meeting = log_meeting(decisions=[], action_items=[])
    data = _edit_data(
        meeting,
        person_a,
        **{
            "agenda_items-0-DELETE": "on",
            "decisions-INITIAL_FORMS": "0",
            "decisions-0-text": "",
            "decisions-0-agenda_number": "",
        },
    )
    response = _client(staff_a).post(_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert meeting.agenda_items.count() == 0
    assert meeting.attendances.count() == 1


def test_end_before_start_is_refused_in_persian_and_changes_nothing(
    staff_a: Any, person_a: Any, log_meeting: Any
) -> None:
    meeting = log_meeting()
    before = Meeting.objects.values().get(pk=meeting.pk)
    data = _edit_data(meeting, person_a, title="عنوان تازه", end="۰۹:۰۰")
    response = _client(staff_a).post(_url(meeting), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "زمان پایان باید بعد از زمان شروع باشد." in html
    assert "ذخیره نشد؛ هیچ تغییری ثبت نشده است." in html
    assert 'value="عنوان تازه"' in html  # what was typed stays
    assert 'value="۰۹:۰۰"' in html
    assert Meeting.objects.values().get(pk=meeting.pk) == before
    assert not MeetingEvent.objects.filter(meeting=meeting, kind="updated").exists()


def test_viewer_gets_the_persian_403_and_other_organisation_404(
    viewer_a: Any, staff_b: Any, person_a: Any, log_meeting: Any
) -> None:
    meeting = log_meeting()
    response = _client(viewer_a).get(_url(meeting))
    assert response.status_code == 403
    assert "کارشناسان سازمان میزبان" in response.content.decode()
    data = _edit_data(meeting, person_a, title="تغییر غیرمجاز")
    assert _client(viewer_a).post(_url(meeting), data).status_code == 403
    assert _client(staff_b).get(_url(meeting)).status_code == 404
    assert _client(staff_b).post(_url(meeting), data).status_code == 404
    meeting.refresh_from_db()
    assert meeting.title == "جلسه هماهنگی"


@pytest.mark.parametrize(
    ("status", "message"),
    [("minutes_approved", "صورتجلسه این جلسه تأیید شده است"), ("cancelled", "لغو شده است")],
)
def test_approved_or_cancelled_meeting_is_not_editable(
    staff_a: Any, person_a: Any, log_meeting: Any, status: str, message: str
) -> None:
    meeting = log_meeting()
    stamp = "cancelled_at" if status == "cancelled" else "minutes_approved_at"
    Meeting.objects.filter(pk=meeting.pk).update(status=status, **{stamp: meeting.start})
    client = _client(staff_a)
    response = client.get(_url(meeting))
    assert response.status_code == 403
    assert message in response.content.decode()
    data = _edit_data(meeting, person_a, title="تغییر")
    assert client.post(_url(meeting), data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "جلسه هماهنگی"


@pytest.mark.parametrize("count", [5, 20])
def test_edit_page_query_count_does_not_grow_with_attendances(
    staff_a: Any, org_a: Any, count: int, django_assert_num_queries: Any
) -> None:
    meeting = MeetingFactory(host=org_a, start=START)
    for _ in range(count):
        AttendanceFactory(meeting=meeting, person=PersonFactory(organization=org_a))
    client = _client(staff_a)
    # 21: session and user (2), the user's memberships for the scope (a few, cached per
    # request), the meeting with its prefetched participants, invitation answers,
    # attendances, agenda, decisions, statements, action items, addenda and visible
    # agreements (one query each), the
    # people and organisations offered in every row (once per page, not per row), the
    # host, participant, series and agreement choices of the meeting form. None of them
    # per row.
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url(meeting)).status_code == 200
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(_url(meeting))
    assert len(ctx.captured_queries) == 21, [q["sql"] for q in ctx.captured_queries]
