"""The minutes (print page and PDF) show an open action item past its due date as overdue,
as the meeting page does; a done one keeps its status."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import ActionItem
from tests.factories import ActionItemFactory, MeetingFactory

from .conftest import START

pytestmark = pytest.mark.django_db


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(org_a: Any) -> Any:
    meeting = MeetingFactory(host=org_a, start=START)
    ActionItemFactory(
        meeting=meeting,
        description="ارسال پیش‌نویس",
        owner_organization=org_a,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    return meeting


def test_the_print_page_says_overdue(meeting: Any, staff_a: Any) -> None:
    html = _login(staff_a).get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "معوق" in html
    ActionItem.objects.filter(meeting=meeting).update(status="done", completed_at=timezone.now())
    html = _login(staff_a).get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "معوق" not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_the_pdf_says_overdue(meeting: Any, staff_a: Any, tmp_path: Any) -> None:
    response = _login(staff_a).get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own temp file
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],  # noqa: S607 - poppler from the system
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "معوق" in text, text[:2000]


def test_another_organisation_gets_404_for_the_minutes(meeting: Any, staff_b: Any) -> None:
    assert _login(staff_b).get(f"/meetings/{meeting.pk}/minutes/").status_code == 404
    assert _login(staff_b).get(f"/meetings/{meeting.pk}/minutes.pdf").status_code == 404
