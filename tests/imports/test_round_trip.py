"""Round trips: an unchanged export imports as «N unchanged»; one edited cell changes exactly
that field, through the services (history rows, reminders)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from agreements.models import Agreement
from meetings.models import ActionItem, Meeting, MeetingEvent
from organizations.models import Organization, Person
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    MeetingFactory,
    PersonFactory,
)
from tracker.jalali import TEHRAN

from .conftest import edit_csv, exported, run_import

pytestmark = pytest.mark.django_db


def _setup(org_a: Any, org_b: Any) -> None:
    person = PersonFactory(organization=org_a, full_name="علی رضایی")
    start = datetime(2024, 5, 1, 10, 30, 17, tzinfo=TEHRAN)
    meeting = MeetingFactory(host=org_a, start=start, end=start + timedelta(hours=2))
    meeting.participants.add(org_a, org_b)
    ActionItemFactory(meeting=meeting, owner_person=person, due_date=date(2024, 6, 1))
    agreement = AgreementFactory(owning_organization=org_a, expiry_date=date(2026, 1, 1))
    AgreementPartyFactory(agreement=agreement, organization=org_a, role="first_party")
    AgreementPartyFactory(agreement=agreement, organization=org_b, role="second_party")


@pytest.mark.parametrize(
    "kind", ["organizations", "people", "meetings", "action-items", "agreements"]
)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_unchanged_export_imports_as_unchanged(
    kind: str, suffix: str, org_a: Any, org_b: Any, admin_a: Any, client_for: Any
) -> None:
    _setup(org_a, org_b)
    content = exported(client_for(admin_a), kind, suffix)

    job = run_import(admin_a, kind, content, f"x.{suffix}")

    assert job.errors == []
    assert job.status == "done"
    assert job.unchanged_count >= 1
    assert (job.created_count, job.updated_count) == (0, 0)
    assert job.unchanged_count == job.total_rows


def test_one_edited_date_changes_that_field_and_writes_history(
    org_a: Any, org_b: Any, admin_a: Any, client_for: Any
) -> None:
    _setup(org_a, org_b)
    agreement = Agreement.objects.get()
    before = {f: getattr(agreement, f) for f in ("title", "reference_number", "signed_date")}
    history = agreement.history.count()

    def edit(rows: list[list[str]]) -> None:
        column = rows[0].index("تاریخ انقضا (شمسی)")
        rows[1][column] = "۱۴۰۵/۰۲/۱۰"

    job = run_import(
        admin_a, "agreements", edit_csv(exported(client_for(admin_a), "agreements"), edit)
    )

    agreement.refresh_from_db()
    assert job.errors == []
    assert (job.updated_count, job.unchanged_count) == (1, 0)
    assert agreement.expiry_date == date(2026, 4, 30)
    assert {f: getattr(agreement, f) for f in before} == before
    assert agreement.history.count() == history + 1


def test_edited_meeting_start_in_iso_column_moves_only_the_start(
    org_a: Any, org_b: Any, admin_a: Any, client_for: Any
) -> None:
    _setup(org_a, org_b)
    meeting = Meeting.objects.get()

    def edit(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("شروع (ISO)")] = "2024-05-01T09:00:00+03:30"

    job = run_import(admin_a, "meetings", edit_csv(exported(client_for(admin_a), "meetings"), edit))

    assert job.errors == []
    meeting.refresh_from_db()
    assert meeting.start == datetime(2024, 5, 1, 9, 0, tzinfo=TEHRAN)
    assert meeting.title.startswith("جلسه هماهنگی")
    assert set(meeting.participants.values_list("name", flat=True)) == {org_a.name, org_b.name}
    assert MeetingEvent.objects.filter(meeting=meeting, kind="updated").count() == 1


def test_action_item_status_edit_completes_it(
    org_a: Any, org_b: Any, admin_a: Any, client_for: Any
) -> None:
    _setup(org_a, org_b)

    def edit(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("وضعیت")] = "انجام‌شده"

    job = run_import(
        admin_a, "action-items", edit_csv(exported(client_for(admin_a), "action-items"), edit)
    )

    assert job.errors == []
    item = ActionItem.objects.get()
    assert item.status == "done"
    assert item.completed_by == admin_a


def test_person_title_edit(org_a: Any, org_b: Any, admin_a: Any, client_for: Any) -> None:
    _setup(org_a, org_b)

    def edit(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("سمت")] = "مدیر فنی"

    job = run_import(admin_a, "people", edit_csv(exported(client_for(admin_a), "people"), edit))

    assert job.errors == []
    person = Person.objects.get()
    assert person.position_title == "مدیر فنی"
    assert person.full_name == "علی رضایی"


def test_dry_run_writes_nothing(org_a: Any, org_b: Any, admin_a: Any, client_for: Any) -> None:
    _setup(org_a, org_b)

    def edit(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("استان")] = "البرز"
        rows.append(["", "شهرک صنعتی تازه", "شهرک صنعتی", "", "تهران", "", "", "", "", ""])

    job = run_import(
        admin_a,
        "organizations",
        edit_csv(exported(client_for(admin_a), "organizations"), edit),
        dry_run=True,
    )

    assert job.errors == []
    assert (job.created_count, job.updated_count) == (1, 1)
    assert not Organization.objects.filter(province="البرز").exists()
    assert Organization.objects.count() == 2
    assert timezone.now()
