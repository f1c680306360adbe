"""The meetings admin keeps the services' rules: status never edited, approved minutes
frozen, saves audited and reminded through the services, audit rows append-only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from meetings import services
from meetings.choices import MeetingEventKind, MeetingStatus
from meetings.models import ActionItem, Meeting, MeetingEvent, MinutesAddendum
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> Any:
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def root_client(root: Any) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def meeting(staff_a: Any, org_a: Any) -> Meeting:
    return services.meeting_log(
        actor=staff_a,
        title="جلسه",
        host=org_a,
        start=timezone.now() - timedelta(hours=2),
        status=MeetingStatus.HELD,
        minutes="متن",
        action_items=[
            services.ActionItemInput(
                description="اقدام",
                due_date=timezone.localdate() + timedelta(days=5),
                owner_organization=org_a,
            )
        ],
    )


def _post_data(client: Client, url: str) -> dict[str, Any]:
    """The change form as the browser would send it back unchanged."""
    context = client.get(url).context
    form = context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        widget_value = (
            field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
        )
        if hasattr(value, "pk"):
            widget_value = value.pk
        elif isinstance(value, list | tuple | set) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            widget_value = [getattr(v, "pk", v) for v in items]
        data[name] = "" if widget_value is None else widget_value
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{key}"] = management.initial.get(key, 0)
    return data


def test_status_is_not_editable_and_rows_are_not_added_or_deleted_here(root: Any) -> None:
    meeting_admin = admin.site._registry[Meeting]
    request = type("R", (), {"user": root})()
    assert "status" in meeting_admin.get_readonly_fields(request)
    assert not meeting_admin.has_add_permission(request)
    assert not meeting_admin.has_delete_permission(request)
    for model in (MeetingEvent, MinutesAddendum):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    for inline in meeting_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request, None)
        assert not inline.has_delete_permission(request, None)


def test_audit_rows_cannot_be_deleted_through_the_admin(
    root_client: Client, meeting: Meeting
) -> None:
    event = meeting.events.first()
    assert event is not None
    url = f"/admin/meetings/meetingevent/{event.pk}/delete/"
    assert root_client.post(url, {"post": "yes"}).status_code == 403
    assert MeetingEvent.objects.filter(pk=event.pk).exists()


def test_approved_minutes_are_read_only_in_the_admin(
    root_client: Client, meeting: Meeting, manager_a: Any
) -> None:
    services.minutes_approve(actor=manager_a, meeting=meeting)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    page = root_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    data = {"title": "عوض شد", "minutes": "عوض شد"}
    assert root_client.post(url, data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "متن"


def test_meeting_saved_in_the_admin_goes_through_the_service(
    root_client: Client, meeting: Meeting
) -> None:
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = _post_data(root_client, url)
    data["title"] = "عنوان تازه"
    response = root_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting.refresh_from_db()
    assert meeting.title == "عنوان تازه"
    assert meeting.events.filter(kind=MeetingEventKind.UPDATED).count() == 1


def test_action_item_reassigned_in_the_admin_goes_through_the_service(
    root_client: Client, meeting: Meeting
) -> None:
    item = meeting.action_items.get()
    org_c = OrganizationFactory(name="سازمان ج")
    url = f"/admin/meetings/actionitem/{item.pk}/change/"
    data = _post_data(root_client, url)
    data["owner_organization"] = org_c.pk
    response = root_client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner_organization == org_c
    assert item.events.filter(kind=MeetingEventKind.ACTION_REASSIGNED).count() == 1
    assert org_c in meeting.participants.all()  # the owner takes part (reminders reach it)


def test_done_action_items_are_read_only_in_the_admin(
    root_client: Client, meeting: Meeting, staff_a: Any
) -> None:
    item = meeting.action_items.get()
    services.action_item_complete(actor=staff_a, action_item=item)
    url = f"/admin/meetings/actionitem/{item.pk}/change/"
    assert root_client.post(url, {"due_date": "1500/01/01"}).status_code == 403
    assert ActionItem.objects.get(pk=item.pk).status == "done"


def test_a_refusal_of_the_service_is_shown_and_changes_nothing(
    root_client: Client, meeting: Meeting
) -> None:
    closed = OrganizationFactory(name="سازمان منحل", is_active=False)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = _post_data(root_client, url)
    data["host"] = closed.pk
    data["title"] = "عنوان تازه"
    response = root_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "غیرفعال" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.title, meeting.host_id) == ("جلسه", meeting.host_id)
    assert meeting.host.is_active
    assert not meeting.events.filter(kind=MeetingEventKind.UPDATED).exists()
