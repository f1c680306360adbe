"""Deep page numbers stop at MAX_PAGE_OFFSET from both ends (issue 17, must-have 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tracker.api import pagination

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


@pytest.fixture
def people(org_a: Any) -> list[int]:
    rows = [PersonFactory(organization=org_a, full_name=f"کارشناس شهرک {n:02d}") for n in range(12)]
    return [p.pk for p in sorted(rows, key=lambda p: (p.full_name, p.pk))]


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination.limits, "MAX_PAGE_OFFSET", 4)
    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 6)


def test_a_page_number_far_from_both_ends_is_a_persian_404(people, limits, staff_a, client_for):
    client = client_for(staff_a)
    assert client.get(PEOPLE, {"page_size": 2, "page": 2}).status_code == 200
    response = client.get(PEOPLE, {"page_size": 2, "page": 3})  # rows 5-6: past 4 rows
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "صفحه نامعتبر است" in detail
    assert "next" in detail
    assert "۴" in detail


def test_the_last_pages_are_read_backwards_from_the_end(people, limits, staff_a, client_for):
    client = client_for(staff_a)
    last = client.get(PEOPLE, {"page_size": 5, "page": "last"}).json()
    assert (last["count"], last["count_exact"]) == (12, True)
    assert [r["id"] for r in last["results"]] == people[10:]
    assert last["previous"] is not None
    # Page 2 of 5 rows (rows 6-10) starts past the limit but ends 2 rows before the end.
    middle = client.get(PEOPLE, {"page_size": 5, "page": 2, "ordering": "full_name"})
    assert middle.status_code == 404  # count not exact: nothing tells where the end is


def test_following_next_still_reaches_every_row(people, limits, staff_a, client_for):
    client = client_for(staff_a)
    seen: list[int] = []
    link: str | None = f"{PEOPLE}?page_size=2"
    while link:
        body = client.get(link).json()
        seen += [r["id"] for r in body["results"]]
        assert "page_limit" not in body
        link = body["next"]
    assert seen == people


def test_a_ranked_search_says_why_next_stops(people, limits, staff_a, client_for):
    """Two terms: ranked by similarity, no cursor; next stops at the limit and says so."""
    client = client_for(staff_a)
    body = client.get(PEOPLE, {"q": "کارشناس شهرک", "page_size": 2, "page": 2}).json()
    assert body["next"] is None
    assert body["count_exact"] is False
    assert "محدودتر" in body["page_limit"]
    first = client.get(PEOPLE, {"q": "کارشناس شهرک", "page_size": 2}).json()
    assert first["next"] is not None
    assert "page_limit" not in first


def test_the_page_pager_counts_to_the_limit_and_stops_offering_pages(
    people, limits, staff_a, client, monkeypatch
):
    from organizations import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(staff_a)
    url = reverse("organizations:person_list")
    html = client.get(url).content.decode()
    assert "بیش از ۶ ردیف" in html
    assert "page=2" in html
    deep = client.get(url, {"page": 2}).content.decode()
    assert "page=3" not in deep
    assert "صفحه‌های بعدی با شماره باز نمی‌شوند" in deep
    # A page number past the limit (a bookmark, a crawler) is the last page offered, not
    # a 500 (the reviewer found it: the count is not exact, so any number passed).
    far = client.get(url, {"page": 5})
    assert far.status_code == 200
    assert "صفحه‌های بعدی با شماره باز نمی‌شوند" in far.content.decode()


def test_a_search_counts_exactly_only_up_to_its_own_lower_limit(
    people, staff_a, client_for, monkeypatch
):
    monkeypatch.setattr(pagination.limits, "SEARCH_COUNT_LIMIT", 5)
    client = client_for(staff_a)
    listed = client.get(PEOPLE).json()
    assert (listed["count"], listed["count_exact"]) == (12, True)
    searched = client.get(PEOPLE, {"q": "کارشناس", "page_size": 4}).json()
    assert (searched["count"], searched["count_exact"]) == (5, False)
    assert searched["next"] is not None  # the pages go on past the count
    few = client.get(PEOPLE, {"q": "شهرک ۰۳"}).json()
    assert (few["count"], few["count_exact"]) == (1, True)
