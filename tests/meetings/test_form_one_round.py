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
