"""The dashboard page: Persian RTL, charts from local static files, links to the lists."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import ActionItemFactory, AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_draws_from_local_chartjs_with_list_links(
    org_a: Any, org_b: Any, staff_a: Any
) -> None:
    AgreementFactory.create_batch(2, owning_organization=org_a)
    AgreementFactory(owning_organization=org_b)
    meeting = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=2))
    ActionItemFactory(meeting=meeting, due_date=timezone.localdate() + timedelta(days=3))

    response = logged_in(staff_a).get("/dashboard/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "/static/vendor/chartjs/chart.umd.min.js" in body
    assert "cdn" not in body.lower()
    match = re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', body, re.S)
    assert match is not None
    data = json.loads(match[1])
    counts = {r["status"]: r["count"] for r in data["agreements_by_status"]["results"]}
    assert counts["draft"] == 2  # B's agreement is not counted
    assert data["agreements_by_status"]["calendar"] == "jalali"
    assert 'href="/agreements/?status=draft"' in body
    assert len(data["upcoming"]["results"]) == 2


def test_impossible_date_shows_the_persian_error_and_no_unfiltered_charts(
    staff_a: Any, org_a: Any
) -> None:
    AgreementFactory(owning_organization=org_a)

    # 1400 is not a leap year: Esfand has 29 days.
    response = logged_in(staff_a).get(
        "/dashboard/", {"date_from": "1400/12/30", "organization": org_a.pk}
    )

    body = response.content.decode()
    assert response.status_code == 200
    # What was typed comes back, in Persian digits like the rest of the page.
    assert 'value="۱۴۰۰/۱۲/۳۰"' in body
    errors = re.findall(r'<p class="field-error">(.*?)</p>', body)
    assert errors
    assert all(re.search("[\u0600-\u06ff]", e) for e in errors)
    assert 'id="filter-errors"' in body
    assert "dashboard-data" not in body
    assert "<canvas" not in body
    assert response.context["stats"] is None


def test_reversed_range_is_refused_too(staff_a: Any) -> None:
    response = logged_in(staff_a).get(
        "/dashboard/", {"date_from": "1403/05/10", "date_to": "1403/05/01"}
    )

    assert "پایان بازه باید پس از آغاز آن باشد." in response.content.decode()
    assert response.context["stats"] is None


def test_organisation_filter_links_carry_the_filter(staff_a: Any, org_a: Any) -> None:
    AgreementFactory(owning_organization=org_a)

    response = logged_in(staff_a).get("/dashboard/", {"organization": org_a.pk})

    row = response.context["stats"]["agreements_by_status"]["results"][0]
    assert row["status"] == "draft"
    assert f'href="{row["url"]}"'.replace("&", "&amp;") in response.content.decode()
    assert str(org_a.pk) in row["url"]


def test_numbers_people_read_are_in_persian_digits(staff_a: Any, org_a: Any) -> None:
    meeting = MeetingFactory(host=org_a, start=timezone.now() - timedelta(days=30))
    today = timezone.localdate()
    for days_late in (0, 0, 0, 5):  # three of four done on time: 75%
        ActionItemFactory(
            meeting=meeting,
            due_date=today - timedelta(days=10),
            status="done",
            completed_at=timezone.now() - timedelta(days=10 - days_late),
        )

    body = logged_in(staff_a).get("/dashboard/").content.decode()

    assert "<span data-rate>۷۵٪</span>" in body
    assert "همه سازمان‌ها" in body  # the organisation filter's empty choice
    # Text people read: no scripts, no tags, no left-to-right code such as the API's path.
    visible = re.sub(r"<script.*?</script>|<a class=\"ltr\".*?</a>|<[^>]+>", " ", body, flags=re.S)
    latin = re.findall(r".{0,30}[0-9].{0,30}", visible)
    assert not latin, latin


def test_dashboard_needs_login() -> None:
    assert Client().get("/dashboard/").status_code == 302


def test_quarters_and_owners_are_drawn_too(staff_a: Any, org_a: Any) -> None:
    """Every aggregate of the API is on the page: the quarters beside the fiscal years, and
    the owners with the most overdue items, their numbers linking to their lists."""
    from tests.factories import PersonFactory

    person = PersonFactory(organization=org_a, full_name="مریم صادقی")
    meeting = MeetingFactory(host=org_a, start=timezone.now() - timedelta(days=20))
    ActionItemFactory(
        meeting=meeting,
        owner_person=person,
        owner_organization=org_a,
        due_date=timezone.localdate() - timedelta(days=2),
    )

    body = logged_in(staff_a).get("/dashboard/").content.decode()

    quarters = body.split('id="quarters"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"(بهار|تابستان|پاییز|زمستان) ۱۴", quarters)
    owners = body.split('id="owners"', 1)[1].split("</table>", 1)[0]
    assert "مریم صادقی" in owners
    assert f"owner={person.pk}" in owners
    assert "overdue=true" in owners


def test_a_date_range_says_it_does_not_apply_to_the_status_chart(staff_a: Any) -> None:
    body = logged_in(staff_a).get("/dashboard/", {"date_from": "1403/01/01"}).content.decode()
    assert "بازه تاریخ بر این نمودار اثری ندارد" in body
    plain = logged_in(staff_a).get("/dashboard/").content.decode()
    assert "بازه تاریخ بر این نمودار اثری ندارد" not in plain
