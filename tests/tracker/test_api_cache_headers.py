"""Every API answer is private to the user who asked: no shared cache may keep it.

ConditionalGetMiddleware tags every GET answer with an ETag; without ``Cache-Control:
private`` and ``Vary: Authorization, Cookie`` a shared proxy could answer one user's list
to another. tracker.middleware.PrivateApiCacheMiddleware marks them, 304s included.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import cc_delim_re

from tests.factories import MeetingFactory
from tracker.middleware import PrivateApiCacheMiddleware

pytestmark = pytest.mark.django_db


def _cache_control(response: Any) -> set[str]:
    return {part.strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}


def _vary(response: Any) -> set[str]:
    return {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))}


def assert_private(response: Any) -> None:
    assert {"private", "no-cache"} <= _cache_control(response), response.get("Cache-Control")
    assert {"authorization", "cookie"} <= _vary(response), response.get("Vary")


def test_a_list_is_private_and_its_304_too(client_for: Any, staff_a: Any, org_a: Any) -> None:
    MeetingFactory(host=org_a)
    client = client_for(staff_a)

    first = client.get("/api/v1/meetings/")
    again = client.get("/api/v1/meetings/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert_private(first)
    # The 304 comes from ConditionalGetMiddleware, below the private middleware.
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert_private(again)


def test_a_detail_and_its_revalidation_are_private(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    meeting = MeetingFactory(host=org_a)
    client = client_for(staff_a)

    first = client.get(f"/api/v1/meetings/{meeting.pk}/")
    again = client.get(f"/api/v1/meetings/{meeting.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert_private(first)
    assert again.status_code == 304
    assert_private(again)


def test_errors_are_private(client_for: Any, staff_a: Any, api_client: Any) -> None:
    missing = client_for(staff_a).get("/api/v1/meetings/999999999/")
    anonymous = api_client.get("/api/v1/meetings/")
    bad_filter = client_for(staff_a).get("/api/v1/meetings/", {"date_from": "نه تاریخ"})

    assert missing.status_code == 404
    assert anonymous.status_code in (401, 403)
    assert bad_filter.status_code == 400
    for response in (missing, anonymous, bad_filter):
        assert_private(response)


def test_the_aggregates_keep_their_own_headers(client_for: Any, staff_a: Any) -> None:
    response = client_for(staff_a).get("/api/v1/stats/agreements-by-status/")

    assert response.status_code == 200
    assert_private(response)
    assert response["Cache-Control"].count("private") == 1


def test_a_cache_control_the_view_chose_is_kept() -> None:
    def view(request: Any) -> HttpResponse:
        response = HttpResponse("{}", content_type="application/json")
        response["Cache-Control"] = "private, max-age=60"
        return response

    response = PrivateApiCacheMiddleware(view)(RequestFactory().get("/api/v1/anything/"))

    assert response["Cache-Control"] == "private, max-age=60"
    assert {"authorization", "cookie"} <= _vary(response)


def test_pages_outside_the_api_are_left_alone(client: Any, staff_a: Any) -> None:
    client.force_login(staff_a)

    response = client.get("/meetings/")

    assert response.status_code == 200
    assert "authorization" not in _vary(response)
    assert "no-cache" not in _cache_control(response)
