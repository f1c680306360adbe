"""The API's filter backend builds no FilterSet for a request that filters nothing."""

from __future__ import annotations

from typing import Any

import pytest

from meetings.filters import MeetingFilter
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_no_filter_parameter_builds_no_filterset(
    client_for: Any, staff_a: Any, org_a: Any, org_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    MeetingFactory(host=org_a, title="جلسه الف")
    MeetingFactory(host=org_a, title="جلسه الف ۲")
    MeetingFactory(host=org_b, title="جلسه ب")
    built: list[Any] = []
    original = MeetingFilter.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(kwargs.get("data"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(MeetingFilter, "__init__", spy)
    client = client_for(staff_a)

    plain = client.get("/api/v1/meetings/", {"page_size": 1, "ordering": "start"}).json()
    assert built == []
    assert plain["next"] is not None
    client.get(plain["next"])  # a cursor page filters nothing either
    assert built == []
    # Scoping is the selector's, not the filter's: still only org_a's meetings.
    assert plain["count"] == 2
    assert plain["results"][0]["title"].startswith("جلسه الف")

    filtered = client.get("/api/v1/meetings/", {"q": "هیچ"}).json()
    assert len(built) == 1
    assert filtered["count"] == 0
    # An unknown parameter goes through the FilterSet as before (which ignores it).
    assert client.get("/api/v1/meetings/", {"foo": "1"}).json()["count"] == 2
    assert len(built) == 2
    # A bad filter value is still a Persian 400 naming the field.
    bad = client.get("/api/v1/meetings/", {"organization": "x"})
    assert bad.status_code == 400
    assert "organization" in bad.json()
