"""The minutes PDF (read back with pdftotext) and the calendar files (read back with icalendar)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from meetings import demo, services
from meetings.models import Meeting
from organizations.models import Membership
from tests.factories import MeetingFactory
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def seed_and_user(django_user_model: Any) -> tuple[Meeting, Any]:
    seed = demo.load()
    user = django_user_model.objects.get(username="karshenas")
    assert Membership.objects.filter(user=user, organization=seed.host).exists()
    return seed, user


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_minutes_pdf_of_the_seed_meeting(seed_and_user: Any, tmp_path: Any) -> None:
    seed, user = seed_and_user
    response = _login(user).get(f"/meetings/{seed.pk}/minutes.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own temp file
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],  # noqa: S607 - poppler from the system
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fonts = subprocess.run(  # noqa: S603
        ["pdffonts", str(pdf)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Vazirmatn" in fonts
    # pdftotext gives right-to-left words in logical order; compare word by word.
    for phrase in (
        "صورتجلسه",
        "شهرداری قدس",
        "شنبه ۱۱ مرداد ۱۳۹۹",
        "محل شهرداری قدس",
        "مسعود مختاری",
        "بهزاد بهزادی",
        "هیئت همراه",
        "تعداد نامعلوم",
        "رسالت",
        "۹۸۲۷",
        "برندسازی",
        "امضا",
    ):
        for word in phrase.split():
            assert word in text, (word, text[:2000])
    # Page numbers in Persian digits («صفحه ۱ از ۲»), once the bidi marks are dropped.
    plain = re.sub("[\u202a-\u202e\u200e\u200f]", "", text)
    assert re.search(r"صفحه\s*۱\s*از\s*[۱-۹]", plain), plain[-500:]
    assert not re.search(r"صفحه\s+1", plain)


def test_minutes_print_view_lists_signatures_for_present_people(seed_and_user: Any) -> None:
    seed, user = seed_and_user
    html = _login(user).get(f"/meetings/{seed.pk}/minutes/").content.decode()
    assert html.count('class="signature"') == 2  # the two named people; groups do not sign
    assert "شنبه ۱۱ مرداد ۱۳۹۹" in html


def test_meeting_ics_in_tehran_time(seed_and_user: Any) -> None:
    seed, user = seed_and_user
    response = _login(user).get(f"/meetings/{seed.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert start == datetime(2020, 8, 1, 10, 0, tzinfo=TEHRAN)
    assert events[0]["dtstart"].params["TZID"] == "Asia/Tehran"
    assert str(events[0]["summary"]) == demo.SEED_TITLE
    assert calendar.walk("VTIMEZONE")


def test_personal_feed_secret_address_cancelled_status_and_revocation(
    staff_a: Any, org_a: Any, staff_b: Any
) -> None:
    now = datetime.now(tz=TEHRAN).replace(microsecond=0)
    planned = MeetingFactory(host=org_a, title="برنامه", start=now + timedelta(days=3))
    cancelled = MeetingFactory(host=org_a, title="لغوی", start=now + timedelta(days=4))
    services.meeting_cancel(actor=staff_a, meeting=cancelled)
    MeetingFactory(host=staff_b.memberships.get().organization, title="دیگری")
    _, key = services.calendar_feed_token_create(actor=staff_a)
    anonymous = Client()
    response = anonymous.get(f"/meetings/calendar/{key}.ics")
    assert response.status_code == 200
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {"برنامه", "لغوی"}
    assert str(events["لغوی"]["status"]) == "CANCELLED"
    assert str(events["برنامه"]["status"]) == "CONFIRMED"
    assert events["برنامه"].decoded("dtstart") == planned.start
    services.calendar_feed_token_revoke(actor=staff_a)
    assert anonymous.get(f"/meetings/calendar/{key}.ics").status_code == 404
    assert anonymous.get("/meetings/calendar/not-a-key.ics").status_code == 404


def test_feed_settings_page_shows_the_new_address_once(staff_a: Any) -> None:
    client = _login(staff_a)
    html = client.post("/meetings/calendar/", {"action": "create"}).content.decode()
    assert "/meetings/calendar/" in html
    assert ".ics" in html
    again = client.get("/meetings/calendar/").content.decode()
    assert '.ics"' not in again


def test_minutes_render_carried_over_items_owned_by_an_organisation_only(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    """A carried-over item without an owner person: page, print view and PDF all render
    (a ``|default:item.owner_person.full_name`` used to raise here: a 500)."""
    first = services.meeting_log(
        actor=staff_a,
        title="جلسه نخست",
        host=org_a,
        start=datetime(2020, 8, 1, 10, 0, tzinfo=TEHRAN),
        new_series_title="سلسله هماهنگی",
    )
    services.action_item_create(
        actor=staff_a,
        meeting=first,
        description="اقدام باز سازمانی",
        due_date=datetime(2020, 8, 5, tzinfo=TEHRAN).date(),
        owner_organization=org_a,
    )
    services.action_item_create(
        actor=staff_a,
        meeting=first,
        description="اقدام باز شخصی",
        due_date=datetime(2020, 8, 5, tzinfo=TEHRAN).date(),
        owner_person=person_a,
    )
    second = services.meeting_log(
        actor=staff_a,
        title="جلسه دوم",
        host=org_a,
        start=datetime(2020, 8, 8, 10, 0, tzinfo=TEHRAN),
        series=first.series,
    )
    client = Client()
    client.force_login(staff_a)
    for url in (f"/meetings/{second.pk}/", f"/meetings/{second.pk}/minutes/"):
        page = client.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        assert "اقدام باز سازمانی" in body
        assert org_a.name in body
        assert "اقدام باز شخصی" in body
        assert person_a.full_name in body
    pdf = client.get(f"/meetings/{second.pk}/minutes.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
