"""The home page (the top layer composes the apps' home sections) and ``load_demo``."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from agreements.models import Agreement
from meetings.models import Meeting
from notifications.models import ReminderRule
from organizations.choices import Role
from tests.factories import AgreementFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login_and_greets_in_persian(client: Any, staff_a: Any, org_a: Any) -> None:
    assert client.get("/").status_code == 302
    client.force_login(staff_a)
    html = client.get("/").content.decode()
    assert "سلام" in html
    assert org_a.name in html
    assert "کارشناس" in html


def test_home_shows_the_meetings_section_then_the_agreements_section(
    client: Any, staff_a: Any, org_a: Any
) -> None:
    MeetingFactory(host=org_a, title="جلسه فردا", start=timezone.now() + timedelta(days=1))
    AgreementFactory(owning_organization=org_a, title="تفاهم‌نامه پیش‌نویس")
    client.force_login(staff_a)
    response = client.get("/")
    sections = response.context["sections"]
    html = response.content.decode()
    assert [s["title"] for s in sections] == [
        "منتظر اقدام شما",
        "جلسات پیش رو",
        "تفاهم‌نامه‌های در جریان",
    ]
    assert "جلسه فردا" in html
    assert "تفاهم‌نامه پیش‌نویس" in html
    assert response.context["sees_everything"] is False


@pytest.mark.parametrize("rows", [3, 30])
def test_home_query_count_does_not_grow_with_rows(
    rows: int, org_a: Any, staff_a: Any, django_assert_num_queries: Any
) -> None:
    from dashboard.selectors import home_for_user

    for i in range(rows):
        MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=1 + i))
        AgreementFactory(owning_organization=org_a)
        MembershipFactory(user=staff_a, role=Role.VIEWER)
    user = type(staff_a).objects.get(pk=staff_a.pk)  # a fresh user: no cached scope
    # 1 memberships with their organisations; 2 the scope (memberships, organisation tree),
    # computed once per request and kept on the user; meetings: 1 the next five, 1 the
    # overdue count; agreements: 1 the five newest open ones with their owner; «awaiting
    # you»: 1 the agreements whose next step is the user's, 1 the commitments that are theirs;
    # 1 the linked person's name for the greeting.
    with django_assert_num_queries(9):
        home = home_for_user(user=user)
    assert len(home["memberships"]) == rows + 1
    assert len(home["sections"][1]["items"]) == min(rows, 5)
    assert len(home["sections"][2]["items"]) == min(rows, 5)


def test_load_demo_loads_every_app_in_order_and_again_changes_nothing() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (Meeting.objects.count(), Agreement.objects.count(), ReminderRule.objects.count())
    call_command("load_demo", stdout=StringIO())
    lines = [line for line in out.getvalue().splitlines() if line.startswith("demo data:")]
    assert lines == [
        f"demo data: {app}" for app in ("organizations", "meetings", "agreements", "notifications")
    ]
    assert all(counts)
    assert (
        Meeting.objects.count(),
        Agreement.objects.count(),
        ReminderRule.objects.count(),
    ) == counts
