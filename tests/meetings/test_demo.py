"""Demo data: the seed meeting as reported, a follow-up with one overdue item, idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from agreements import demo as agreements_demo
from agreements.models import Agreement
from meetings import demo, selectors
from meetings.choices import MeetingEventKind
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingEvent,
    MeetingSeries,
)
from tracker.jalali import format_date, format_time

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[object, ...]:
    return (
        list(Meeting.objects.order_by("id").values()),
        list(Attendance.objects.order_by("id").values()),
        list(AgendaItem.objects.order_by("id").values()),
        list(ActionItem.objects.order_by("id").values_list("id", "description", "due_date")),
        MeetingSeries.objects.count(),
    )


def test_seed_meeting_is_as_reported() -> None:
    seed = demo.load()
    assert demo.get_seed_meeting() == seed
    assert seed.title == demo.SEED_TITLE
    assert format_date(seed.start, "weekday") == "شنبه ۱۱ مرداد ۱۳۹۹"
    assert format_time(seed.start) == "۱۰:۰۰"
    assert "ساعت جلسه در منبع نیامده است" in seed.notes
    assert seed.location == "محل شهرداری قدس"
    assert seed.host.name == "شهرداری قدس"
    assert seed.status == "held"
    assert (seed.source_publication, seed.source_issue) == ("روزنامه رسالت", "9827")
    assert seed.source_date == date(2020, 8, 1)
    rows = list(seed.attendances.select_related("person", "organization").order_by("order"))
    assert [(r.display_name, r.position_title, r.role) for r in rows[:2]] == [
        ("مسعود مختاری", "شهردار قدس", "chair"),
        ("بهزاد بهزادی", demo.DIRECTOR_TITLE, "member"),
    ]
    groups = [(r.group_label, r.organization.name, r.head_count) for r in rows[2:]]
    assert groups == [
        ("هیئت همراه", "شرکت شهرک‌های صنعتی استان تهران", None),
        ("اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس", "شهرک‌های صنعتی شهرستان قدس", None),
    ]
    assert seed.agenda_items.count() == 4
    assert "برندسازی" in seed.minutes
    assert "قطعات خودرویی" in seed.minutes


def test_follow_up_has_one_overdue_and_one_open_item() -> None:
    seed = demo.load()
    follow_up = Meeting.objects.get(title=demo.FOLLOW_UP_TITLE)
    assert follow_up.series == seed.series
    items = ActionItem.objects.filter(meeting=follow_up)
    assert items.count() == 2
    assert selectors.action_items_overdue(items, today=timezone.localdate()).count() == 1


def test_load_twice_changes_nothing() -> None:
    demo.load()
    first = _snapshot()
    demo.load()
    assert _snapshot() == first


def test_the_seed_meeting_is_linked_once_to_the_demo_agreement() -> None:
    seed = demo.load()
    demo.load()
    agreement = Agreement.objects.get(reference_number=agreements_demo.REFERENCE)
    assert list(seed.agreements.all()) == [agreement]
    assert (
        MeetingEvent.objects.filter(meeting=seed, kind=MeetingEventKind.AGREEMENT_LINKED).count()
        == 1
    )


@pytest.mark.django_db
def test_reading_the_seed_report_again_finds_the_demo_meeting() -> None:
    # Found by a tester: the demo held the seed meeting without its text, so pasting the
    # seed report logged it a second time.
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from meetings.services.intake_source import duplicate_of

    seed = demo.load()
    report = Path(__file__).parent / "intake" / "reports" / "seed-qods.fa.txt"
    root = get_user_model().objects.create_superuser("root-demo", password="x-Long-pass-1")
    found = duplicate_of(actor=root, host=seed.host, text=report.read_text(encoding="utf-8"))
    assert found == seed
