"""The links behind the dashboard's numbers open the list they count, filtered.

Each link is followed with the test client: its parameters must be ones the target list's
FilterSet declares (an unknown one is ignored silently and opens the whole list), and the
list it opens must hold fewer rows than the unfiltered list, the same number as the
statistic where both count the same thing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from agreements.filters import AgreementFilter
from meetings.filters import ActionItemFilter, MeetingFilter
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db

FILTERSETS: dict[str, Any] = {
    "/agreements/": AgreementFilter,
    "/meetings/": MeetingFilter,
    "/meetings/action-items/": ActionItemFilter,
}


@pytest.fixture(autouse=True)
def empty_stats_cache() -> None:
    from dashboard.cache import bump_generation

    bump_generation()


@pytest.fixture
def world() -> dict[str, Any]:
    """Two organisations, each with agreements, held meetings and open action items."""
    today = timezone.localdate()
    ours = OrganizationFactory(province="تهران")
    theirs = OrganizationFactory(province="خراسان رضوی")
    person = PersonFactory(organization=ours)
    for org, n in ((ours, 2), (theirs, 1)):
        AgreementFactory.create_batch(n, owning_organization=org)
        AgreementFactory(owning_organization=org, status="signed", signed_date=today)
        for _ in range(n):
            meeting = MeetingFactory(
                host=org,
                status="held",
                start=datetime.combine(today - timedelta(days=1), time(10), tzinfo=TEHRAN),
            )
            ActionItemFactory(meeting=meeting, due_date=today + timedelta(days=3))
        ActionItemFactory(
            meeting=meeting,
            owner_person=person if org == ours else None,
            due_date=today - timedelta(days=2),  # overdue
        )
    user = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return {"ours": ours, "client": client, "today": today, "user": user}


def links_of(api: Any, params: dict[str, Any]) -> list[tuple[str, int | None]]:
    """Every list link in the stats answers, with the number it stands for (None: not a
    count of that list's rows)."""

    def get(path: str) -> Any:
        response = api.get(f"/api/v1/stats/{path}/", params)
        assert response.status_code == 200, response.content
        return response.json()

    links: list[tuple[str, int | None]] = []
    by_status = get("agreements-by-status")
    links += [(row["url"], row["count"]) for row in by_status["results"]]
    links += [(row["url"], None) for row in get("state-durations")["results"]]
    timeline = get("timeline")
    for month in timeline["months"]:
        links.append((month["agreements_url"], month["agreements_signed"]))
        # Every meeting in the world is held: the month's list is the month's count.
        links.append((month["meetings_url"], month["meetings_held"]))
    actions = get("action-items")
    links.append((actions["open_url"], actions["totals"]["open"]))
    links.append((actions["overdue_url"], actions["totals"]["overdue"]))
    links += [(row["url"], row["open"]) for row in actions["by_organization"]]
    links += [(row["url"], row["open"]) for row in actions["by_owner"]]
    return links


def rows_in(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


def test_every_link_uses_parameters_its_list_accepts_and_opens_a_filtered_list(
    world: dict[str, Any], client_for: Any
) -> None:
    today = world["today"]
    params = {
        "organization": world["ours"].pk,
        "date_from": (today - timedelta(days=10)).isoformat(),
        "date_to": (today + timedelta(days=10)).isoformat(),
    }
    client = world["client"]
    links = links_of(client_for(world["user"]), params)
    unfiltered = {path: rows_in(client, path) for path in FILTERSETS}

    assert len(links) > 20
    for url, count in links:
        parts = urlsplit(url)
        declared = FILTERSETS[parts.path].base_filters
        query = parse_qs(parts.query)
        assert set(query) <= set(declared), url
        rows = rows_in(client, url)
        assert rows < unfiltered[parts.path], url
        if count is not None:
            assert rows == count, url


def test_links_of_a_month_carry_the_month_and_the_organisation(
    world: dict[str, Any], client_for: Any
) -> None:
    api = client_for(world["user"])
    org = world["ours"].pk

    actions = api.get("/api/v1/stats/action-items/", {"organization": org}).json()
    month = api.get("/api/v1/stats/timeline/", {"organization": org}).json()["months"][-1]

    assert parse_qs(urlsplit(actions["by_organization"][0]["url"]).query) == {
        "organization": [str(org)],
        "status": ["open"],
    }
    assert "owner" in parse_qs(urlsplit(actions["by_owner"][0]["url"]).query)
    meetings = parse_qs(urlsplit(month["meetings_url"]).query)
    assert meetings["organization"] == [str(org)]
    assert meetings["date_from"] == [month["start"]]
    agreements = parse_qs(urlsplit(month["agreements_url"]).query)
    assert agreements["signed_date_from"] == [month["start"]]


def test_province_reaches_only_the_lists_that_filter_by_it(
    world: dict[str, Any], client_for: Any
) -> None:
    client = world["client"]
    links = links_of(client_for(world["user"]), {"province": "تهران"})
    unfiltered = {path: rows_in(client, path) for path in FILTERSETS}

    for url, _count in links:
        parts = urlsplit(url)
        declared = FILTERSETS[parts.path].base_filters
        query = parse_qs(parts.query)
        assert set(query) <= set(declared), url
        if "province" in declared:
            assert query.get("province") == ["تهران"], url
            assert rows_in(client, url) < unfiltered[parts.path], url
