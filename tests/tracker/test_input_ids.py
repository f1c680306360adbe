"""Malformed ids and bodies are Persian 400s that quote the client's input as it was sent:
a fractional id in a body or a filter is refused (not rounded to another row), a JSON
``null`` body is explained in Persian, and /favicon.ico serves the icon."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from meetings.models import Meeting
from organizations.choices import Role
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_a: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(staff_a)
    return client


def _meeting(org: Any, **overrides: Any) -> dict[str, Any]:
    return {"title": "جلسه", "start": "1399/05/11 10:00", "host": org.pk, **overrides}


@pytest.mark.parametrize("offset", [0.5, 0.0])
def test_a_fractional_id_in_a_body_is_a_persian_400_not_another_row(
    api: APIClient, org_a: Any, offset: float
) -> None:
    response = api.post("/api/v1/meetings/", _meeting(org_a, host=org_a.pk + offset), format="json")

    assert response.status_code == 400
    message = response.json()["host"][0]
    assert message.startswith(f"«{org_a.pk + offset}» شناسه درستی نیست")
    assert not Meeting.objects.exists()


def test_a_fractional_id_in_a_list_of_ids_is_refused(api: APIClient, org_a: Any) -> None:
    response = api.post(
        "/api/v1/meetings/", _meeting(org_a, participants=[org_a.pk + 0.5]), format="json"
    )
    assert response.status_code == 400
    assert "شناسه درستی نیست" in str(response.json()["participants"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/?organization=1.5",
        "/api/v1/meetings/?organization=1.5",
        "/api/v1/action-items/?meeting=1.5",
        "/api/v1/organizations/?parent=1.5",
    ],
)
def test_a_fractional_id_in_a_filter_is_a_persian_400(api: APIClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 400, response.content
    (messages,) = response.json().values()
    assert messages == ["«1.5» شناسه درستی نیست."]


def test_echoed_input_keeps_its_digits_and_our_numbers_are_persian(
    api: APIClient, org_a: Any
) -> None:
    response = api.get("/api/v1/action-items/?meeting=1e5")
    assert response.json() == {"meeting": ["«1e5» شناسه درستی نیست."]}
    too_long = api.post("/api/v1/meetings/", _meeting(org_a, title="ج" * 301), format="json")
    assert too_long.json()["title"] == ["این مقدار باید حداکثر ۳۰۰ نویسه باشد."]


def test_the_pages_quote_a_bad_id_as_typed(client: Any, org_a: Any) -> None:
    client.force_login(member(org_a, Role.VIEWER, username="v"))
    html = client.get("/meetings/?organization=1e5").content.decode()
    assert "«1e5» شناسه درستی نیست" in html


def test_a_null_body_is_explained_in_persian(api: APIClient) -> None:
    response = api.post("/api/v1/meetings/", "null", content_type="application/json")
    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert "No data" not in message
    assert "null" in message
    assert "بدنه درخواست خالی" in message


def test_favicon_serves_the_static_icon(client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    assert "max-age=86400" in response["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405
