"""Pages show only the actions the user's role allows; write pages refuse others with a
Persian 403 (the rules are those of meetings/services.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meetings.models import ActionItem, Meeting
from organizations.choices import Role
from tests.factories import ActionItemFactory, MeetingFactory, PersonFactory, member

from .conftest import START

pytestmark = pytest.mark.django_db

WRITE_BUTTONS = ("تأیید صورتجلسه", "برگزار شد", "لغو جلسه", "انجام شد", "واگذاری", "ثبت الحاقیه")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def planned(org_a: Any) -> Meeting:
    meeting = MeetingFactory(host=org_a, start=START, status="planned")
    ActionItemFactory(meeting=meeting, owner_organization=org_a)
    return meeting


@pytest.fixture
def held(org_a: Any) -> Meeting:
    meeting = MeetingFactory(host=org_a, start=START, status="held", minutes="متن")
    ActionItemFactory(meeting=meeting, owner_organization=org_a)
    return meeting


def test_viewer_sees_no_write_button_anywhere(viewer_a: Any, planned: Meeting, held: Meeting):
    client = _client(viewer_a)
    pages = [
        "/meetings/",
        f"/meetings/{planned.pk}/",
        f"/meetings/{held.pk}/",
        "/meetings/action-items/",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        for label in WRITE_BUTTONS:
            assert f">{label}</button>" not in html, (path, label)
        assert "واگذاری</a>" not in html, path
    assert 'href="/meetings/new/"' not in client.get("/meetings/").content.decode()


def test_viewer_gets_a_persian_403_on_write_pages(viewer_a: Any, planned: Meeting):
    client = _client(viewer_a)
    item = ActionItem.objects.get(meeting=planned)
    for path in ("/meetings/new/", f"/meetings/action-items/{item.pk}/reassign/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "کارشناس" in response.content.decode(), path
    response = client.post(f"/meetings/action-items/{item.pk}/reassign/", {"due_date": ""})
    assert response.status_code == 403
    assert client.post("/meetings/new/", {"title": "x"}).status_code == 403
    assert Meeting.objects.count() == 1


def test_staff_sees_mark_held_and_cancel_but_not_approve(
    staff_a: Any, planned: Meeting, held: Meeting
):
    client = _client(staff_a)
    html = client.get(f"/meetings/{planned.pk}/").content.decode()
    assert ">برگزار شد</button>" in html
    assert ">لغو جلسه</button>" in html
    assert ">انجام شد</button>" in html
    html = client.get(f"/meetings/{held.pk}/").content.decode()
    assert ">تأیید صورتجلسه</button>" not in html
    assert "تأیید صورتجلسه با مدیر سازمان میزبان است" in html
    assert 'href="/meetings/new/"' in client.get("/meetings/").content.decode()
    assert client.get("/meetings/new/").status_code == 200


def test_manager_sees_approve_minutes(manager_a: Any, held: Meeting):
    html = _client(manager_a).get(f"/meetings/{held.pk}/").content.decode()
    assert ">تأیید صورتجلسه</button>" in html


def test_owner_organisation_staff_may_work_on_an_item_of_a_meeting_they_only_attend(
    org_a: Any, org_b: Any, staff_b: Any
):
    """Staff of the owner organisation complete/reassign its item
    (services.may_work_on_action_item), though they may not manage another host's meeting."""
    meeting = MeetingFactory(host=org_a, start=START, status="planned")
    meeting.participants.add(org_b)
    mine = ActionItemFactory(meeting=meeting, owner_organization=org_b)
    theirs = ActionItemFactory(meeting=meeting, owner_organization=org_a)
    client = _client(staff_b)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert ">برگزار شد</button>" not in html
    assert f"/meetings/action-items/{mine.pk}/reassign/" in html
    assert f"/meetings/action-items/{theirs.pk}/reassign/" not in html
    assert client.get(f"/meetings/action-items/{mine.pk}/reassign/").status_code == 200
    assert client.get(f"/meetings/action-items/{theirs.pk}/reassign/").status_code == 403


def test_owner_person_may_work_on_their_own_item(org_a: Any, planned: Meeting):
    viewer = member(org_a, Role.VIEWER)
    person = PersonFactory(organization=org_a, user=viewer)
    item = ActionItemFactory(meeting=planned, owner_person=person, owner_organization=None)
    client = _client(viewer)
    html = client.get("/meetings/action-items/").content.decode()
    assert f"/meetings/action-items/{item.pk}/reassign/" in html
    assert client.get(f"/meetings/action-items/{item.pk}/reassign/").status_code == 200
