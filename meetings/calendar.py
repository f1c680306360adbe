"""iCalendar (.ics) of meetings: Asia/Tehran times, cancellations as STATUS:CANCELLED."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tracker.jalali import TEHRAN

from .choices import MeetingStatus
from .models import Meeting

# A meeting logged without an end is shown as two hours long in calendars.
DEFAULT_LENGTH = timedelta(hours=2)
STATUS: dict[str, str] = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.MINUTES_APPROVED: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def _event(meeting: Meeting) -> Event:
    event = Event()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "tracker"
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("summary", meeting.title)
    start = meeting.start.astimezone(TEHRAN)
    event.add("dtstart", start)
    event.add("dtend", (meeting.end or meeting.start + DEFAULT_LENGTH).astimezone(TEHRAN))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", f"میزبان: {meeting.host.name}")
    event.add("status", STATUS[meeting.status])
    event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
    # SEQUENCE lets subscribed calendars take a changed or cancelled meeting as newer.
    event.add("sequence", int(meeting.updated_at.timestamp()) // 60 % 2_000_000_000)
    return event


def meetings_to_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//agreement-tracker//meetings//FA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tehran")
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()
