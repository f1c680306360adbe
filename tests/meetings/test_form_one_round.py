"""The «ثبت جلسه» form reports all its mistakes in one round, in Persian digits; flash
messages use Persian digits too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meetings.models import Meeting
from tests.factories import AgreementFactory

from .test_views import _form_data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rows_are_checked_even_when_the_date_does_not_parse(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    data = _form_data(
        org_a,
        person_a,
        start="۱۴۰۰/۱۲/۳۰ ۱۰:۰۰",  # no such day: the form's own error
        **{
            # The service's checks of the rows: no owner, a new person without organisation.
            "action_items-0-owner_organization": "",
            "attendances-1-organization": "",
        },
    )
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "اسفند ۱۴۰۰ ۲۹ روز دارد" in html
    assert "مسئول اقدام (شخص یا سازمان) را تعیین کنید" in html
    assert "سازمان این ردیف را انتخاب کنید" in html
    # The start's own error is said once, not again by the service.
    assert "زمان شروع جلسه را وارد کنید" not in html
    assert not Meeting.objects.exists()


def test_djangos_length_error_is_in_persian_digits(staff_a: Any, org_a: Any, person_a: Any) -> None:
    response = _client(staff_a).post(
        "/meetings/new/", _form_data(org_a, person_a, title="ا" * 10000)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["title"]
    html = response.content.decode()
    assert any("300" in e for e in errors)  # Django's message, as the form holds it ...
    assert "(طولش ۱۰۰۰۰ است)" in html  # ... is shown in Persian digits
    assert "(طولش 10000 است)" not in html


def test_flash_messages_use_persian_digits(staff_a: Any, org_a: Any) -> None:
    agreement = AgreementFactory(owning_organization=org_a)
    client = _client(staff_a)
    response = client.post(
        f"/agreements/{agreement.pk}/versions/new/", {"text": "متن تازه"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "نسخه ۱ ثبت شد" in html
    assert "نسخه 1 ثبت شد" not in html


def _edit_data(meeting: Any, person_a: Any, **overrides: str) -> dict[str, str]:
    from .test_views_edit import _edit_data as edit_data

    return edit_data(meeting, person_a, **overrides)


def test_the_edit_form_checks_the_rows_even_when_the_date_does_not_parse(
    staff_a: Any, person_a: Any, log_meeting: Any
) -> None:
    meeting = log_meeting()
    data = _edit_data(
        meeting,
        person_a,
        start="۱۴۰۰/۱۲/۳۰ ۱۰:۰۰",  # no such day: the form's own error
        **{
            # The service's checks of the rows: a new person without organisation, a
            # statement whose speaker row does not exist, a decision under no agenda item.
            "attendances-1-new_person_name": "زهرا کاظمی",
            "statements-TOTAL_FORMS": "1",
            "statements-INITIAL_FORMS": "0",
            "statements-0-text": "سخنی",
            "statements-0-speaker_number": "۹",
            "decisions-0-agenda_number": "۵",
        },
    )
    response = _client(staff_a).post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "اسفند ۱۴۰۰ ۲۹ روز دارد" in html
    assert "سازمان این ردیف را انتخاب کنید" in html
    statement_errors = response.context["formsets"]["statements"].forms[0].errors
    assert "speaker_number" in statement_errors
    decision_errors = response.context["formsets"]["decisions"].forms[0].errors
    assert "agenda_number" in decision_errors
    # The start's own error is said once; the current start stands in for the checks.
    assert "زمان شروع جلسه را وارد کنید" not in html
    meeting.refresh_from_db()
    assert meeting.attendances.count() == 1


def test_the_edit_form_checks_the_meeting_fields_when_a_row_does_not_parse(
    staff_a: Any, person_a: Any, log_meeting: Any
) -> None:
    meeting = log_meeting()
    data = _edit_data(
        meeting,
        person_a,
        end="۰۹:۰۰",  # before the start: the service's check
        **{"attendances-1-group_label": "هیئت همراه", "attendances-1-head_count": "چند"},
    )
    response = _client(staff_a).post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "عدد نیست" in html
    assert "زمان پایان باید بعد از زمان شروع باشد" in html
