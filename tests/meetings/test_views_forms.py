"""The «ثبت جلسه» form: the end as a time or a date and time; number fields that keep
Persian digits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from meetings.models import Meeting
from tracker.jalali import TEHRAN

from .test_views import _form_data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۱۲:۰۰", datetime(2020, 8, 1, 12, 0, tzinfo=TEHRAN)),
        ("12:30", datetime(2020, 8, 1, 12, 30, tzinfo=TEHRAN)),
        ("ساعت ۱۲", datetime(2020, 8, 1, 12, 0, tzinfo=TEHRAN)),
        ("۱۳۹۹/۰۵/۱۲ ۰۹:۰۰", datetime(2020, 8, 2, 9, 0, tzinfo=TEHRAN)),
    ],
)
def test_end_accepts_a_time_on_the_start_day_or_a_full_date_and_time(
    staff_a: Any, org_a: Any, person_a: Any, typed: str, expected: datetime
) -> None:
    data = _form_data(org_a, person_a, end=typed)
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Meeting.objects.get().end == expected


@pytest.mark.parametrize(
    ("typed", "echo"),
    [("25:00", "«۲۵:۰۰»"), ("1399/13/01 10:00", "«۱۳۹۹/۱۳/۰۱ ۱۰:۰۰»"), ("فردا", "«فردا»")],
)
def test_bad_end_is_explained_with_the_input_in_persian_digits(
    staff_a: Any, org_a: Any, person_a: Any, typed: str, echo: str
) -> None:
    response = _client(staff_a).post("/meetings/new/", _form_data(org_a, person_a, end=typed))
    assert response.status_code == 400
    html = response.content.decode()
    assert echo in html
    assert f'value="{typed}"' in html  # what was typed stays in the field
    assert Meeting.objects.count() == 0


def test_end_before_start_as_a_time_is_refused(staff_a: Any, org_a: Any, person_a: Any) -> None:
    response = _client(staff_a).post("/meetings/new/", _form_data(org_a, person_a, end="۰۹:۰۰"))
    assert response.status_code == 400
    assert "زمان پایان باید بعد از زمان شروع باشد" in response.content.decode()


def test_number_fields_are_text_inputs_that_take_persian_digits(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    client = _client(staff_a)
    html = client.get("/meetings/new/").content.decode()
    assert 'type="number"' not in html
    assert 'inputmode="numeric"' in html
    data = _form_data(
        org_a,
        person_a,
        **{
            "attendances-2-head_count": "۵",
            "decisions-0-agenda_number": "١",  # Arabic-Indic one
            "action_items-0-decision_number": "۱",
        },
    )
    assert client.post("/meetings/new/", data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.attendances.get(group_label="هیئت همراه").head_count == 5
    assert meeting.decisions.get().agenda_item is not None
    assert meeting.action_items.get().decision is not None


def test_bad_numbers_are_explained_in_persian(staff_a: Any, org_a: Any, person_a: Any) -> None:
    data = _form_data(
        org_a, person_a, **{"attendances-2-head_count": "0", "decisions-0-agenda_number": "x1"}
    )
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "«۰» کمتر از حد مجاز است" in html
    assert "«x۱» عدد نیست" in html
