"""Bad cursors and page numbers are Persian 404s, never 500s (found by review)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _cursor(payload: Any) -> str:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.fixture
def client(client_for: Any, staff_a: Any, org_a: Any) -> Any:
    for i in range(6):
        PersonFactory(organization=org_a, full_name=f"p{i}")
    api = client_for(staff_a)
    api.raise_request_exception = False
    return api


@pytest.mark.parametrize(
    "payload",
    [
        '{"p": 1e400, "o": ["full_name", "id"], "v": ["p0", 1]}',  # page number infinity
        {"p": 2, "o": ["full_name", "id"], "v": ["p\u0000", 1]},  # NUL (PostgreSQL text)
        {"p": 2, "o": ["full_name", "id"], "v": ["p0", 10**30]},  # id past bigint
        {"p": 10**30, "o": ["full_name", "id"], "v": ["p0", 1]},  # page number past bigint
        {"p": 2, "o": ["full_name", "id"], "v": [["p0"], 1]},  # a list for a name
        {"p": 2, "o": ["full_name", "id"], "v": ["p0"]},  # a value short
        ["not", "an", "object"],
    ],
)
def test_a_forged_cursor_is_a_persian_404(client: Any, payload: Any) -> None:
    response = client.get("/api/v1/people/", {"cursor": _cursor(payload)})
    assert response.status_code == 404, response.content[:200]
    assert "نامعتبر" in response.json()["detail"]


def test_a_datetime_at_the_end_of_the_calendar_is_a_404(client: Any) -> None:
    payload = {"p": 2, "o": ["-created_at", "-id"], "v": ["9999-12-31T23:59:59-14:00", 1]}
    response = client.get("/api/v1/tokens/", {"cursor": _cursor(payload)})
    assert response.status_code == 404, response.content[:200]


def test_a_huge_page_past_the_count_limit_is_a_404(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.api import pagination

    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    assert client.get("/api/v1/people/", {"page_size": 1}).json()["count_exact"] is False
    response = client.get("/api/v1/people/", {"page": str(10**19), "page_size": 50})
    assert response.status_code == 404
    assert "صفحه نامعتبر است" in response.json()["detail"]
