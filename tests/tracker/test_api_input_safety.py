"""Bodies nested too deep, and server errors, under /api/: JSON answers, never a 500 page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client, RequestFactory
from rest_framework.exceptions import ParseError

from tracker.api.parsers import MAX_JSON_DEPTH, JSONParser, json_depth_exceeds
from tracker.views import server_error

pytestmark = pytest.mark.django_db

#: 2 kB of brackets, 1,000 deep: Python's json raised RecursionError on it (a 500).
DEEP = "[" * 1000 + "]" * 1000


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    ("text", "too_deep"),
    [
        (_nested(MAX_JSON_DEPTH), False),
        (_nested(MAX_JSON_DEPTH + 1), True),
        (DEEP, True),
        # Brackets inside strings are text, not nesting (an escaped quote does not end one).
        ('{"t": "' + "[" * 500 + '\\"' + "{" * 500 + '"}', False),
        ("[" * 100 + "]" * 100, True),
        ("[]" * 500, False),
    ],
)
def test_depth_counts_nesting_outside_strings(text: str, too_deep: bool) -> None:
    assert json_depth_exceeds(text) is too_deep


def test_the_parser_refuses_deep_nesting_in_persian() -> None:
    with pytest.raises(ParseError) as caught:
        JSONParser().parse(io.BytesIO(DEEP.encode()), parser_context={})

    assert caught.value.detail.code == "json_too_deep"  # type: ignore[union-attr]
    assert "تودرتو" in str(caught.value.detail)


def test_the_parser_still_reads_ordinary_json() -> None:
    body = '{"title": "جلسه [هماهنگی]", "rows": [[1, 2], {"a": null}]}'

    parsed = JSONParser().parse(io.BytesIO(body.encode()), parser_context={})

    assert parsed == {"title": "جلسه [هماهنگی]", "rows": [[1, 2], {"a": None}]}


@pytest.mark.parametrize(
    "url",
    ["/api/v1/auth/token/", "/api/v1/meetings/", "/api/v1/organizations/", "/api/v1/people/"],
)
def test_deep_json_is_a_persian_400_on_every_door(client_for: Any, staff_a: Any, url: str) -> None:
    client = client_for(staff_a) if "auth" not in url else Client()

    response = client.post(url, DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "تودرتو" in response.json()["detail"]


def test_ordinary_bad_json_keeps_its_message(client: Any) -> None:
    response = client.post("/api/v1/auth/token/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "بدنه درخواست خوانا نیست (JSON نامعتبر)."


def test_an_api_500_is_json(client_for: Any, staff_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug, not bad input")

    monkeypatch.setattr("organizations.selectors.person_list_for_user", broken)
    client = client_for(staff_a)
    client.raise_request_exception = False

    response = client.get("/api/v1/people/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "خطای داخلی رخ داد؛ به پشتیبانی خبر دهید."}


def test_a_page_500_stays_html() -> None:
    response = server_error(RequestFactory().get("/meetings/"))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v1/meetings/0.5/", "/api/x"])
def test_unrouted_api_paths_are_json_404s(client: Any, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 404
    assert response.json() == {"detail": "پیدا نشد."}


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/meetings/", '{"title": "x", "host": 1e400, "start": "1405/09/20 10:00"}'),
        ("/api/v1/meetings/", '{"title": "x", "host": 1, "participants": [1e400]}'),
        ("/api/v1/people/", '{"full_name": "x", "organization": -1e400}'),
        ("/api/v1/auth/token/", '{"username": 1e999, "password": "x"}'),
    ],
)
def test_a_number_too_large_for_a_float_is_a_persian_400(
    client_for: Any, staff_a: Any, url: str, body: str
) -> None:
    """``1e400`` decoded to ``inf``, and an id field's int() of it was an OverflowError 500."""
    client = client_for(staff_a) if "auth" not in url else Client()

    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "بیش از اندازه بزرگ" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/nope/", "/api/v1/meetings/1/nope/", "/api/v1/nope"])
def test_unrouted_api_paths_are_json_404s_with_debug_on_too(
    client_for: Any, staff_a: Any, settings: Any, url: str
) -> None:
    """With DEBUG on (``make run``) Django's HTML 404 page bypassed handler404."""
    settings.DEBUG = True

    response = client_for(staff_a).get(url, follow=True)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "پیدا نشد."}


def test_a_post_to_an_unrouted_api_path_with_a_session_is_the_json_404(staff_a: Any) -> None:
    """A session cookie without a CSRF token: the catch-all must not answer the CSRF page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)

    response = client.post("/api/v1/action-items/0.5/cancel/", {}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"detail": "پیدا نشد."}
