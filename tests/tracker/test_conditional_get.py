"""One ETag mechanism for every view: ``tracker.api.http.ConditionalGetMiddleware`` tags
GET and HEAD answers with a weak ETag of the body and answers 304 on a match."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


# The inbox and token lists tagged themselves with a view mixin before; the rest did not
# answer HEAD with a tag.
@pytest.mark.parametrize("path", ["/api/v1/meetings/", "/api/v1/tokens/", "/api/v1/notifications/"])
def test_get_and_head_carry_the_same_weak_tag_and_answer_304(
    path: str, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    first = client.get(path)
    head = client.head(path)
    again = client.head(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert head["ETag"] == first["ETag"]
    assert again.status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_write_gets_no_tag(staff_a: Any, client_for: Any) -> None:
    response = client_for(staff_a).post("/api/v1/tokens/", {"name": "BI"}, format="json")
    assert response.status_code == 201
    assert not response.has_header("ETag")


def test_an_answer_marked_no_store_gets_no_tag(client: Any) -> None:
    """``/healthz`` is ``never_cache`` (``no-store``): as in Django, such an answer is not
    tagged, so a monitor always gets the live state."""
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")
