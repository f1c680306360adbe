"""The meeting list's ``status`` filter takes one value or several (``?status=a&status=b``),
on the page and in the API alike; a wrong value is a Persian error naming the field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from organizations.scoping import forget_scope
from tests.factories import MeetingFactory

from .conftest import START

pytestmark = pytest.mark.django_db

TITLES = {
    "planned": "جلسه برنامه‌ریزی‌شده",
    "held": "جلسه برگزارشده",
    "minutes_approved": "جلسه با صورتجلسه تأییدشده",
    "cancelled": "جلسه لغوشده",
}


@pytest.fixture
def meetings(org_a: Any, org_b: Any) -> None:
    for status, title in TITLES.items():
        MeetingFactory(host=org_a, start=START, status=status, title=title)
    # Out of the user's scope: a status filter must not widen the scope.
    MeetingFactory(host=org_b, start=START, status="held", title="جلسه بیگانه")


def _web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page_statuses(client: Client, query: str) -> list[str]:
    html = client.get(f"/meetings/?{query}").content.decode()
    assert "جلسه بیگانه" not in html
    return [status for status, title in TITLES.items() if title in html]


def _api_statuses(api: Any, query: str) -> list[str]:
    response = api.get(f"/api/v1/meetings/?{query}")
    assert response.status_code == 200, response.json()
    return sorted(row["status"] for row in response.json()["results"])


def test_page_filters_by_one_status_or_several(staff_a: Any, meetings: None) -> None:
    client = _web(staff_a)
    assert _page_statuses(client, "") == list(TITLES)
    assert _page_statuses(client, "status=held") == ["held"]
    assert _page_statuses(client, "status=held&status=minutes_approved") == [
        "held",
        "minutes_approved",
    ]
    assert _page_statuses(client, "status=planned&status=cancelled") == ["planned", "cancelled"]


def test_api_filters_by_one_status_or_several(
    staff_a: Any, meetings: None, client_for: Any
) -> None:
    api = client_for(staff_a)
    assert _api_statuses(api, "") == sorted(TITLES)
    assert _api_statuses(api, "status=cancelled") == ["cancelled"]
    assert _api_statuses(api, "status=held&status=minutes_approved") == [
        "held",
        "minutes_approved",
    ]
    # The same value twice is the one value.
    assert _api_statuses(api, "status=held&status=held") == ["held"]


def test_api_wrong_status_is_a_persian_400_naming_the_field(
    staff_a: Any, meetings: None, client_for: Any
) -> None:
    api = client_for(staff_a)
    for query in ("status=bogus", "status=held&status=bogus", "status=%25d"):
        response = api.get(f"/api/v1/meetings/?{query}")
        assert response.status_code == 400, query
        body = response.json()
        assert list(body) == ["status"], body
        (message,) = body["status"]
        assert "وضعیت درستی برای جلسه نیست" in message
        assert "minutes_approved" in message  # what the field takes
    assert "«bogus»" in api.get("/api/v1/meetings/?status=bogus").json()["status"][0]
    # A «%» sent by the client is repeated, not taken as a format.
    assert "«%d»" in api.get("/api/v1/meetings/?status=%25d").json()["status"][0]


def test_page_shows_a_wrong_status_under_its_field(staff_a: Any, meetings: None) -> None:
    response = _web(staff_a).get("/meetings/?status=bogus")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["filter"].errors["status"]
    # The error sits in the status field's box, under its label.
    box = re.search(r'<label for="id_status">وضعیت</label>.*?</div>', html, re.S)
    assert box is not None
    assert "«bogus» وضعیت درستی برای جلسه نیست" in box.group(0)


def test_page_select_takes_several_and_keeps_the_chosen_ones(staff_a: Any, meetings: None) -> None:
    html = _web(staff_a).get("/meetings/?status=held&status=minutes_approved").content.decode()
    select = re.search(r'<select name="status".*?</select>', html, re.S)
    assert select is not None
    tag = select.group(0)
    assert "multiple" in tag.split(">", 1)[0]
    assert 'size="4"' in tag.split(">", 1)[0]
    assert re.findall(r'<option value="(\w+)" selected>', tag) == ["held", "minutes_approved"]
    assert tag.count("<option") == len(TITLES)  # no «همه» row: nothing chosen is all


def test_api_list_query_count_with_several_statuses_does_not_grow(
    staff_a: Any, org_a: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    api = client_for(staff_a)
    for n in (3, 30):
        for status in ("held", "minutes_approved", "planned"):
            MeetingFactory.create_batch(n, host=org_a, start=START, status=status)
        forget_scope(staff_a)
        # As the unfiltered list: the scope (2), count, page, participants prefetch.
        with django_assert_num_queries(5):
            body = api.get("/api/v1/meetings/?status=held&status=minutes_approved").json()
        assert body["count"] == 2 * (3 if n == 3 else 33)
