"""The agreement timeline's meeting rows: provided by meetings through agreements' registry
(agreements do not import meetings), limited to the meetings the user may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from agreements import selectors
from agreements.models import Agreement
from agreements.selectors import TimelineRow, timeline
from meetings.selectors import agreement_timeline_rows
from tests.factories import ActionItemFactory, MeetingFactory, OrganizationFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _link(agreement: Agreement, n: int, host: Any) -> list[Any]:
    """``n`` meetings of ``host`` that discussed ``agreement``, each with one action item on
    it (rows written directly: test setup)."""
    meetings = []
    for i in range(n):
        meeting = MeetingFactory(host=host, start=NOW - timedelta(days=i + 1))
        meeting.agreements.add(agreement)
        ActionItemFactory(meeting=meeting, agreement=agreement)
        meetings.append(meeting)
    return meetings


def _rows(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["kind"] == kind]


def test_timeline_shows_visible_meetings_at_their_start_and_their_items_at_the_due_date(
    draft: Agreement, staff_a: Any, org_a: Any
) -> None:
    (mine,) = _link(draft, 1, org_a)
    _link(draft, 1, OrganizationFactory())  # another organisation's meeting: not staff_a's
    events = selectors.agreement_timeline(user=staff_a, agreement=draft)
    meetings, items = _rows(events, "meeting"), _rows(events, "action_item")
    assert [(m["at"], m["title"], m["url"]) for m in meetings] == [
        (mine.start, f"جلسه: {mine.title}", mine.get_absolute_url())
    ]
    (item,) = mine.action_items.all()
    assert [(i["at"], i["title"], i["note"]) for i in items] == [
        (item.due_date, f"اقدام: {item.description[:80]}", item.get_status_display())
    ]


@pytest.mark.parametrize("rows", [2, 8])
def test_meeting_rows_take_two_queries_however_many_there_are(
    rows: int, draft: Agreement, staff_a: Any, org_a: Any, django_assert_num_queries: Any
) -> None:
    _link(draft, rows, org_a)
    # Warm the user's organisation scope (cached on the user, as in a request).
    list(selectors.agreement_list_for_user(user=staff_a)[:1])
    # One query for the meetings, one for the action items; visibility is a subquery.
    with django_assert_num_queries(2):
        result = agreement_timeline_rows(user=staff_a, agreement=draft)
    assert len(result) == 2 * rows


def test_the_meetings_app_registers_its_rows_once_and_a_provider_can_be_replaced(
    draft: Agreement, staff_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert timeline._PROVIDERS["meetings"] is agreement_timeline_rows
    monkeypatch.setattr(timeline, "_PROVIDERS", dict(timeline._PROVIDERS))
    extra = TimelineRow(at=NOW + timedelta(days=1), kind="note", title="یادداشت")
    selectors.register_timeline_rows(name="test", provider=lambda **_: [extra])
    selectors.register_timeline_rows(name="test", provider=lambda **_: [extra])
    events = selectors.agreement_timeline(user=staff_a, agreement=draft)
    assert [e["title"] for e in _rows(events, "note")] == ["یادداشت"]
    assert events[0]["kind"] == "note"  # the newest first
