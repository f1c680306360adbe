"""The timeline's "meetings held" of a month and the meeting list its link opens agree.

"Held" counts two statuses (held, minutes approved); the link carries both, so the list a
user opens from the chart shows exactly the meetings the bar counted, for that user's scope
and filters, while planned and cancelled meetings of the same month stay out.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from dashboard import stats
from tests.factories import MeetingFactory, OrganizationFactory
from tracker.jalali import TEHRAN, month_bounds, to_jalali_date

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_stats_cache() -> None:
    from dashboard.cache import bump_generation

    bump_generation()


def _at(day: Any, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TEHRAN)


@pytest.fixture
def world(org_a: Any, org_b: Any, manager_a: Any) -> dict[str, Any]:
    """This month and the one before: every status, in and out of the manager's scope."""
    today = stats.today()
    j = to_jalali_date(today)
    this_first, _ = month_bounds(j.year, j.month)
    last_first, last_last = month_bounds(
        *((j.year - 1, 12) if j.month == 1 else (j.year, j.month - 1))
    )
    # A's child: A's manager sees it, so the dashboard offers it as a filter.
    partner = OrganizationFactory(name="شهرک صنعتی همکار", parent=org_a)
    counts = {}
    for first, n in ((this_first, 1), (last_first, 2)):
        for i in range(n):
            MeetingFactory(host=org_a, start=_at(first, 9 + i), status="held")
            MeetingFactory(host=org_a, start=_at(first, 11 + i), status="minutes_approved")
            MeetingFactory(host=org_a, start=_at(first, 13 + i), status="planned")
            MeetingFactory(host=org_a, start=_at(first, 15 + i), status="cancelled")
        # Hosted by the child, A takes part: visible, and counted.
        shared = MeetingFactory(host=partner, start=_at(first, 8), status="held")
        shared.participants.add(org_a)
        MeetingFactory(host=partner, start=_at(first, 18), status="planned")
        # Not visible to A's manager: neither counted nor listed.
        MeetingFactory(host=org_b, start=_at(first, 8), status="held")
        counts[first] = 2 * n + 1
    # 00:00 Tehran on the first day belongs to this month, not to the month before.
    MeetingFactory(host=org_a, start=_at(this_first, 0), status="held")
    counts[this_first] += 1
    client = Client()
    client.force_login(manager_a)
    return {
        "client": client,
        "counts": counts,
        "partner": partner,
        "last_month": (last_first, last_last),
        "today": today,
    }


def _rows(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["filter"].errors, url
    return int(response.context["page"].paginator.count)


def _months(client: Client, query: str = "") -> list[dict[str, Any]]:
    """The timeline months as the dashboard page drew them for the signed-in user."""
    response = client.get(f"/dashboard/{query}")
    assert response.status_code == 200
    return list(response.context["stats"]["timeline"]["months"])


def test_a_months_held_count_is_the_row_count_of_the_list_it_links(
    world: dict[str, Any],
) -> None:
    client = world["client"]
    months: dict[date, dict[str, Any] | None] = dict.fromkeys(world["counts"])
    for drawn in _months(client):
        first = datetime.fromisoformat(drawn["start"]).date()
        if first in months:
            months[first] = drawn
        assert _rows(client, drawn["meetings_url"]) == drawn["meetings_held"], drawn["key"]
    for first, expected in world["counts"].items():
        month = months[first]
        assert month is not None, first
        assert month["meetings_held"] == expected
        query = parse_qs(urlsplit(month["meetings_url"]).query)
        assert sorted(query["status"]) == ["held", "minutes_approved"]
        # Without the statuses the same link would open a longer list (planned, cancelled).
        del query["status"]
        unnarrowed = f"{urlsplit(month['meetings_url']).path}?{urlencode(query, doseq=True)}"
        assert _rows(client, unnarrowed) > expected


def test_the_link_keeps_agreeing_under_the_organisation_and_date_filters(
    world: dict[str, Any],
) -> None:
    client = world["client"]
    first, _last = world["last_month"]
    months = _months(
        client,
        f"?organization={world['partner'].pk}&date_from={first.isoformat()}"
        f"&date_to={world['today'].isoformat()}",
    )
    assert [m["start"] for m in months][:1] == [first.isoformat()]
    # The child organisation is in one held meeting a month (the one it hosts).
    assert [m["meetings_held"] for m in months] == [1, 1]
    for month in months:
        assert _rows(client, month["meetings_url"]) == month["meetings_held"], month["key"]


def test_the_stats_api_links_agree_too(
    world: dict[str, Any], manager_a: Any, client_for: Any
) -> None:
    body = client_for(manager_a).get("/api/v1/stats/timeline/").json()
    months = [m for m in body["months"] if m["meetings_held"]]
    assert len(months) == 2
    for month in months:
        assert _rows(world["client"], month["meetings_url"]) == month["meetings_held"]
