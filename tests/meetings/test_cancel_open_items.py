"""Cancelling a meeting asks what becomes of its open action items: cancelled with it (as a
manual item cancel: history rows, reminders stopped once) or kept open; the service, the API
and the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, Meeting, MeetingEvent
from notifications import services as notification_services
from notifications.choices import ReminderState
from notifications.models import Delivery, Reminder
from notifications.tasks import send_delivery_chunk
from tests.factories import ActionItemFactory, MeetingFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org_a: Any) -> Meeting:
    """A planned meeting of A in two days with two open items (owners with logins, so each
    has reminders) and one done item."""
    meeting = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=2))
    day = timezone.localdate() + timedelta(days=10)
    for n in range(2):
        owner = PersonFactory(organization=org_a, user=UserFactory(username=f"owner{n}"))
        item = ActionItemFactory(meeting=meeting, owner_person=owner, due_date=day)
        notification_services.reminders_refresh(target=item)
    ActionItemFactory(meeting=meeting, status="done", completed_at=timezone.now())
    return meeting


def open_reminders(meeting: Meeting) -> int:
    ids = meeting.action_items.values("pk")
    return Reminder.objects.filter(object_id__in=ids, state=ReminderState.PENDING).count()


def statuses(meeting: Meeting) -> list[str]:
    return list(meeting.action_items.order_by("id").values_list("status", flat=True))


# --- the service ---------------------------------------------------------------------------


def test_the_choice_is_required_when_the_meeting_has_open_items(
    meeting: Meeting, staff_a: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        services.meeting_cancel(actor=staff_a, meeting=meeting)
    [message] = info.value.message_dict["open_items"]
    assert "۲ اقدام باز" in message
    meeting.refresh_from_db()
    assert meeting.status == "planned"


@pytest.mark.parametrize("value", ["drop", "CANCEL", " "])
def test_an_unknown_choice_is_refused_even_without_open_items(
    org_a: Any, staff_a: Any, value: str
) -> None:
    empty = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as info:
        services.meeting_cancel(actor=staff_a, meeting=empty, open_items=value)
    assert "open_items" in info.value.message_dict


def test_a_meeting_without_open_items_needs_no_choice(org_a: Any, staff_a: Any) -> None:
    empty = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=1))
    assert services.meeting_cancel(actor=staff_a, meeting=empty).status == "cancelled"


def test_cancel_cancels_the_open_items_with_history_and_stops_their_reminders(
    meeting: Meeting, staff_a: Any
) -> None:
    assert open_reminders(meeting) > 0
    services.meeting_cancel(actor=staff_a, meeting=meeting, reason="تعویق", open_items="cancel")
    assert statuses(meeting) == ["cancelled", "cancelled", "done"]
    notes = set(meeting.action_items.filter(status="cancelled").values_list("completion_note"))
    assert notes == {("با لغو جلسه لغو شد: تعویق",)}
    events = MeetingEvent.objects.filter(meeting=meeting, kind="action_cancelled")
    cancelled = set(meeting.action_items.filter(status="cancelled").values_list("pk", flat=True))
    assert {e.action_item_id for e in events} == cancelled
    assert events.count() == 2
    assert all(e.actor == staff_a for e in events)
    cancel = MeetingEvent.objects.get(meeting=meeting, kind="cancelled")
    assert cancel.data == {"reason": "تعویق", "open_items": "cancel", "open_item_count": 2}
    # Their reminders stop, once: nothing is pending and no sweep sends anything for them.
    assert open_reminders(meeting) == 0
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        notification_services.reminders_sweep(now=timezone.now() + timedelta(days=30))
    assert not Delivery.objects.filter(reminder__object_id__in=meeting.action_items.values("pk"))


def test_keep_leaves_the_open_items_open_with_their_reminders(
    meeting: Meeting, staff_a: Any
) -> None:
    before = open_reminders(meeting)
    services.meeting_cancel(actor=staff_a, meeting=meeting, open_items="keep")
    assert statuses(meeting) == ["open", "open", "done"]
    assert open_reminders(meeting) == before
    assert not MeetingEvent.objects.filter(meeting=meeting, kind="action_cancelled").exists()


def test_cancelling_the_items_costs_a_fixed_number_of_queries_per_item(
    org_a: Any, staff_a: Any
) -> None:
    def cost(items: int) -> int:
        m = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=2))
        for _ in range(items):
            ActionItemFactory(meeting=m)
        with CaptureQueriesContext(connection) as queries:
            services.meeting_cancel(actor=staff_a, meeting=m, open_items="cancel")
        return len(queries)

    one, three = cost(1), cost(3)
    # The status of all items is one UPDATE; each item adds its history row and its
    # reminders' re-planning (rules read, rows locked, pending rows cancelled).
    assert three - one == 2 * 4
    assert one == 18


# --- the API -------------------------------------------------------------------------------


def test_api_cancel_without_the_choice_is_a_persian_400_on_open_items(
    meeting: Meeting, staff_a: Any, client_for: Any
) -> None:
    url = f"/api/v1/meetings/{meeting.pk}/cancel/"
    response = client_for(staff_a).post(url, {"reason": "تعویق"}, format="json")
    assert response.status_code == 400
    assert "اقدام باز" in response.json()["open_items"][0]
    wrong = client_for(staff_a).post(url, {"open_items": "drop"}, format="json")
    assert wrong.status_code == 400
    assert "«drop»" in wrong.json()["open_items"][0]
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_api_cancel_with_the_choice(meeting: Meeting, staff_a: Any, client_for: Any) -> None:
    response = client_for(staff_a).post(
        f"/api/v1/meetings/{meeting.pk}/cancel/", {"open_items": "cancel"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert statuses(meeting) == ["cancelled", "cancelled", "done"]


def test_the_schema_documents_the_choice() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"]["/api/v1/meetings/{id}/cancel/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    field = schema["components"]["schemas"][ref]["properties"]["open_items"]
    enum = schema["components"]["schemas"][field["allOf"][0]["$ref"].rsplit("/", 1)[-1]]
    assert set(enum["enum"]) == {"cancel", "keep"}
    assert "open_items" not in schema["components"]["schemas"][ref].get("required", [])


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_the_count_and_the_two_choices(
    meeting: Meeting, staff_a: Any, client: Any
) -> None:
    client.force_login(staff_a)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "این جلسه ۲ اقدام باز دارد" in page
    assert page.count('type="radio" name="open_items"') == 2
    assert 'value="cancel"' in page
    assert 'value="keep"' in page


def test_the_page_cancels_with_the_choice_and_refuses_without_it(
    meeting: Meeting, staff_a: Any, client: Any
) -> None:
    client.force_login(staff_a)
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    refused = client.post(url, {"reason": "تعویق"}, follow=True)
    assert "اقدام باز" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    client.post(url, {"reason": "تعویق", "open_items": "keep"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert statuses(meeting) == ["open", "open", "done"]


def test_a_page_without_open_items_shows_no_choice(org_a: Any, staff_a: Any, client: Any) -> None:
    empty = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=1))
    client.force_login(staff_a)
    page = client.get(empty.get_absolute_url()).content.decode()
    assert 'name="open_items"' not in page
    assert ActionItem.objects.filter(meeting=empty).count() == 0


def test_an_action_items_cancel_does_not_take_the_meetings_choice(
    meeting: Meeting, staff_a: Any, client_for: Any
) -> None:
    item = meeting.action_items.filter(status="open").first()
    assert item is not None
    response = client_for(staff_a).post(
        f"/api/v1/action-items/{item.pk}/cancel/", {"open_items": "cancel"}, format="json"
    )
    assert response.status_code == 400  # an unknown field, not a 500
    assert "open_items" in response.json()
