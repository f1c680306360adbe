"""Bad cursors and page numbers are Persian 404s, never 500s (found by review); cursors are
opaque (encrypted and authenticated), so a row's values do not show in a ``next`` link."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import PersonFactory
from tracker.api.pagination import open_cursor, seal_cursor

pytestmark = pytest.mark.django_db


def _cursor(payload: Any) -> str:
    """Sealed with the server's key, as the API seals its own: a forged payload gets past the
    encryption and must be refused by the checks behind it."""
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return seal_cursor(raw.encode())


def _plain_cursor(payload: Any) -> str:
    """A cursor as the API made them before they were encrypted: base64 of the JSON."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def _b64decode(raw: str) -> bytes:
    return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))


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
        {"p": 2, "o": ["name", "id"], "v": ["p0", 1]},  # another order
        {"p": 2, "o": ["full_name", "id"], "v": ["p0", "one"]},  # an id that is no number
        {},
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

    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 3)
    assert client.get("/api/v1/people/", {"page_size": 1}).json()["count_exact"] is False
    response = client.get("/api/v1/people/", {"page": str(10**19), "page_size": 50})
    assert response.status_code == 404
    assert "صفحه نامعتبر است" in response.json()["detail"]


# Long names: a short one could turn up by chance in a cursor's random-looking characters.
SECRET_NAMES = ("Cursorleak Hosseini", "زهرا احمدی‌نژاد", "Ali Rezaei-Cursorleak")


@pytest.fixture
def named_client(client_for: Any, staff_a: Any, org_a: Any) -> Any:
    for name in SECRET_NAMES:
        PersonFactory(organization=org_a, full_name=name)
    api = client_for(staff_a)
    api.raise_request_exception = False
    return api


def _next_cursor(client: Any, **params: Any) -> str:
    link = client.get("/api/v1/people/", {"page_size": 1, **params}).json()["next"]
    return _cursor_of(link)


def test_a_next_cursor_does_not_show_the_rows_sort_value(named_client: Any) -> None:
    seen: list[str] = []
    link = "/api/v1/people/?page_size=1"
    while link:
        body = named_client.get(link).json()
        seen += [row["full_name"] for row in body["results"]]
        link = body["next"]
        if not link:
            break
        raw = _cursor_of(link)
        name = body["results"][-1]["full_name"]
        # The cursor does hold the row's values, encrypted:
        assert json.loads(open_cursor(raw))["v"][0] == name
        assert name not in raw
        assert name not in link
        decoded = _b64decode(raw)
        assert name.encode() not in decoded
        assert json.dumps(name).encode() not in decoded  # (JSON writes \uXXXX for Persian)
        assert b'"v"' not in decoded
    # Following ``next`` still reaches every row, once.
    assert sorted(seen) == sorted(SECRET_NAMES)


def _flip(raw: str, i: int) -> str:
    """``raw`` with the character at ``i`` changed to another one of the base64 alphabet."""
    return raw[:i] + ("A" if raw[i] != "A" else "B") + raw[i + 1 :]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda raw: _flip(raw, 0), id="synthetic iv, first byte"),
        pytest.param(lambda raw: _flip(raw, 12), id="synthetic iv, last bytes"),
        pytest.param(lambda raw: _flip(raw, 30), id="ciphertext start"),
        pytest.param(lambda raw: _flip(raw, len(raw) // 2), id="ciphertext"),
        # (not the very last character: some of its bits may be padding the decoder ignores)
        pytest.param(lambda raw: _flip(raw, len(raw) - 2), id="ciphertext end"),
        pytest.param(lambda raw: raw[:-4], id="truncated"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="halved"),
        pytest.param(lambda raw: raw + "AAAA", id="lengthened"),
        pytest.param(lambda raw: "é" + raw[1:], id="not ascii"),
    ],
)
def test_a_tampered_cursor_is_a_persian_404(
    named_client: Any, change: Callable[[str], str]
) -> None:
    raw = _next_cursor(named_client)
    assert named_client.get("/api/v1/people/", {"page_size": 1, "cursor": raw}).status_code == 200
    response = named_client.get("/api/v1/people/", {"page_size": 1, "cursor": change(raw)})
    assert response.status_code == 404, response.content[:200]
    assert "cursor" in response.json()["detail"]
    assert "نامعتبر" in response.json()["detail"]


def test_a_plain_base64_cursor_from_before_the_encryption_is_a_persian_404(
    named_client: Any,
) -> None:
    """Exactly what the API gave as ``next`` before: well formed, for a real row."""
    first = named_client.get("/api/v1/people/", {"page_size": 1}).json()["results"][0]
    old = _plain_cursor({"p": 2, "o": ["full_name", "id"], "v": [first["full_name"], first["id"]]})
    response = named_client.get("/api/v1/people/", {"page_size": 1, "cursor": old})
    assert response.status_code == 404, response.content[:200]
    assert "نامعتبر" in response.json()["detail"]


def test_a_cursor_made_with_another_secret_key_is_a_404_unless_it_is_a_fallback(
    named_client: Any, settings: Any
) -> None:
    settings.SECRET_KEY = "an-older-secret"
    raw = _next_cursor(named_client)
    settings.SECRET_KEY = "the-current-secret"
    response = named_client.get("/api/v1/people/", {"page_size": 1, "cursor": raw})
    assert response.status_code == 404
    assert "نامعتبر" in response.json()["detail"]
    # Rotating the secret (the old one kept as a fallback) keeps the links clients hold.
    settings.SECRET_KEY_FALLBACKS = ["an-older-secret"]
    assert named_client.get("/api/v1/people/", {"page_size": 1, "cursor": raw}).status_code == 200


def test_the_same_page_keeps_its_next_link_and_its_etag(named_client: Any) -> None:
    """The encryption is deterministic: an unchanged list answers 304 to its ETag, pages
    with a ``next`` link included (a random IV would give every answer a new body)."""
    first = named_client.get("/api/v1/people/", {"page_size": 1})
    again = named_client.get("/api/v1/people/", {"page_size": 1})
    assert first.json()["next"]
    assert first.json()["next"] == again.json()["next"]
    assert first["ETag"] == again["ETag"]
    cached = named_client.get("/api/v1/people/", {"page_size": 1}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert cached.status_code == 304
    # A page further on, reached through the cursor, too.
    link = first.json()["next"]
    second = named_client.get(link)
    assert named_client.get(link, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def _page_links(client: Any, link: str) -> list[str]:
    """The page-number links of the browsable API's pager on ``link``."""
    html = client.get(link, HTTP_ACCEPT="text/html").content.decode()
    pager = html.split('class="pagination"', 1)[1].split("</ul>", 1)[0]
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', pager)]


def test_the_browsable_pager_links_pages_not_this_pages_cursor(
    named_client: Any, monkeypatch: Any
) -> None:
    cursor_link = named_client.get("/api/v1/people/", {"page_size": 1}).json()["next"]
    links = _page_links(named_client, cursor_link)
    assert links
    assert not any("cursor=" in link for link in links if "page=" in link)
    assert any("page=3" in link for link in links)
    # Past the count limit the last page is unknown: the numbers stop at the next page.
    from tracker.api import pagination

    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 1)
    links = _page_links(named_client, "/api/v1/people/?page_size=1&page=2")
    numbers = {int(n) for link in links for n in re.findall(r"[?&]page=(\d+)", link)}
    assert max(numbers) == 3


@pytest.mark.parametrize("size", ["0", "-3", "abc", "۱۰x", "1.5"])
def test_a_bad_page_size_is_a_persian_400_naming_it(client: Any, size: str) -> None:
    response = client.get("/api/v1/people/", {"page_size": size})
    assert response.status_code == 400, response.content[:200]
    assert "اندازه صفحه" in response.json()["page_size"][0]
    assert "۲۰۰" in response.json()["page_size"][0]


def test_a_page_size_past_the_maximum_is_cut_to_it(client: Any) -> None:
    assert client.get("/api/v1/people/", {"page_size": "5000"}).status_code == 200


def test_an_ordering_the_list_does_not_offer_is_a_persian_400(client: Any) -> None:
    response = client.get("/api/v1/people/", {"ordering": "-full_name,password"})
    assert response.status_code == 400, response.content[:200]
    message = response.json()["ordering"][0]
    assert "«password»" in message
    assert "full_name" in message  # what may be sent instead
    assert client.get("/api/v1/people/", {"ordering": "-full_name"}).status_code == 200
    assert client.get("/api/v1/people/", {"ordering": ""}).status_code == 200


def test_the_pager_of_a_cursor_past_todays_last_page_is_no_500(
    named_client: Any, staff_a: Any
) -> None:
    """A cursor names page 3; rows deleted since leave two pages: the browsable API's pager
    still renders (DRF asserted the last page is not before the current one)."""
    from organizations.models import Person

    link = named_client.get("/api/v1/people/", {"page_size": 1}).json()["next"]
    link = named_client.get(link).json()["next"]  # the cursor of page 3
    Person.objects.filter(full_name=SECRET_NAMES[0]).delete()
    response = named_client.get(link, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert named_client.get(link).status_code == 200
