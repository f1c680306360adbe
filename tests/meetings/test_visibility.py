"""What crosses organisations through a meeting: linked agreements only as far as the user
may see them, and an action item's owner organisation takes part in the meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from agreements import services as agreement_services
from agreements.choices import AgreementStatus, PartyRole
from meetings import selectors, services
from notifications.models import Reminder
from organizations.choices import Role
from tests.factories import OrganizationFactory, PersonFactory, member

pytestmark = pytest.mark.django_db

SECRET = "عنوان محرمانه پیش‌نویس"


def _web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer_b(org_b: Any) -> Any:
    return member(org_b, Role.VIEWER, username="viewer_b")


@pytest.fixture
def draft(staff_a: Any, org_a: Any) -> Any:
    """A draft of A: nobody outside A may see it, not even its title."""
    return agreement_services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="X1", title=SECRET, text="متن"
    )


@pytest.fixture
def meeting_with_draft(staff_a: Any, org_a: Any, org_b: Any, draft: Any) -> Any:
    meeting = services.meeting_log(
        actor=staff_a,
        title="جلسه مشترک",
        host=org_a,
        start=timezone.now() - timedelta(hours=1),
        participants=[org_b],
        agreements=[draft],
    )
    services.action_item_create(
        actor=staff_a,
        meeting=meeting,
        description="پیگیری تفاهم‌نامه",
        due_date=timezone.localdate() + timedelta(days=5),
        owner_organization=org_a,
        agreement=draft,
    )
    return meeting


def test_participant_sees_no_title_of_a_linked_draft_on_page_or_minutes(
    meeting_with_draft: Any, viewer_b: Any, staff_a: Any
) -> None:
    client = _web(viewer_b)
    for url in (
        f"/meetings/{meeting_with_draft.pk}/",
        f"/meetings/{meeting_with_draft.pk}/minutes/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    assert SECRET in _web(staff_a).get(f"/meetings/{meeting_with_draft.pk}/").content.decode()


def test_api_lists_only_linked_agreements_the_user_may_see(
    meeting_with_draft: Any, draft: Any, viewer_b: Any, staff_a: Any, client_for: Any
) -> None:
    body = client_for(viewer_b).get(f"/api/v1/meetings/{meeting_with_draft.pk}/").json()
    assert body["agreements"] == []
    assert [item["agreement"] for item in body["action_items"]] == [None]
    own = client_for(staff_a).get(f"/api/v1/meetings/{meeting_with_draft.pk}/").json()
    assert own["agreements"] == [draft.pk]
    assert [item["agreement"] for item in own["action_items"]] == [draft.pk]


def test_action_item_api_hides_an_invisible_agreement(
    meeting_with_draft: Any, draft: Any, viewer_b: Any, staff_a: Any, client_for: Any
) -> None:
    item = meeting_with_draft.action_items.get()
    assert client_for(viewer_b).get(f"/api/v1/action-items/{item.pk}/").json()["agreement"] is None
    listed = client_for(viewer_b).get("/api/v1/action-items/").json()["results"]
    assert [row["agreement"] for row in listed] == [None]
    # Filtering by the hidden agreement finds nothing (no oracle for the link).
    by_agreement = client_for(viewer_b).get(f"/api/v1/action-items/?agreement={draft.pk}").json()
    assert by_agreement["count"] == 0
    meetings = client_for(viewer_b).get(f"/api/v1/meetings/?agreement={draft.pk}").json()
    assert meetings["count"] == 0
    assert client_for(staff_a).get(f"/api/v1/action-items/{item.pk}/").json()["agreement"] == (
        draft.pk
    )
    assert client_for(staff_a).get(f"/api/v1/meetings/?agreement={draft.pk}").json()["count"] == 1


def test_a_party_sees_the_link_once_the_agreement_is_in_negotiation(
    meeting_with_draft: Any, draft: Any, org_b: Any, staff_a: Any, viewer_b: Any, client_for: Any
) -> None:
    manager_a = member(draft.owning_organization, Role.MANAGER, username="manager_a")
    agreement_services.agreement_party_add(
        actor=staff_a, agreement=draft, organization=org_b, role=PartyRole.SECOND_PARTY
    )
    for to in (
        AgreementStatus.INTERNAL_REVIEW,
        AgreementStatus.LEGAL_REVIEW,
        AgreementStatus.NEGOTIATION,
    ):
        agreement_services.agreement_transition(actor=manager_a, agreement=draft, to=to)
    body = client_for(viewer_b).get(f"/api/v1/meetings/{meeting_with_draft.pk}/").json()
    assert body["agreements"] == [draft.pk]
    assert [item["agreement"] for item in body["action_items"]] == [draft.pk]
    assert SECRET in _web(viewer_b).get(f"/meetings/{meeting_with_draft.pk}/").content.decode()


def test_detail_selector_prefetches_only_visible_agreements(
    meeting_with_draft: Any, draft: Any, viewer_b: Any, staff_a: Any
) -> None:
    mine = selectors.meeting_get_for_user(user=staff_a, pk=meeting_with_draft.pk)
    theirs = selectors.meeting_get_for_user(user=viewer_b, pk=meeting_with_draft.pk)
    assert [a.pk for a in mine.visible_agreements] == [draft.pk]
    assert theirs.visible_agreements == []


# --- Action-item owners take part in the meeting ----------------------------------------------


@pytest.fixture
def org_c(db: Any) -> Any:
    return OrganizationFactory(name="سازمان ج")


@pytest.fixture
def staff_c(org_c: Any) -> Any:
    return member(org_c, Role.STAFF, username="staff_c")


@pytest.fixture
def private_meeting(staff_a: Any, org_a: Any) -> Any:
    return services.meeting_log(
        actor=staff_a, title="جلسه داخلی", host=org_a, start=timezone.now() - timedelta(hours=1)
    )


def _reminder_links_open_for(user: Any) -> None:
    client = _web(user)
    for reminder in Reminder.objects.filter(recipient=user):
        if reminder.url:
            assert client.get(reminder.url).status_code == 200, reminder.url


def test_owner_organisation_of_a_new_item_becomes_a_participant(
    private_meeting: Any, staff_a: Any, org_c: Any, staff_c: Any, client_for: Any
) -> None:
    item = services.action_item_create(
        actor=staff_a,
        meeting=private_meeting,
        description="شرح اقدام",
        due_date=timezone.localdate() + timedelta(days=10),
        owner_organization=org_c,
    )
    assert org_c in private_meeting.participants.all()
    # The owner, who is reminded of the item, can open it and its meeting.
    assert client_for(staff_c).get(f"/api/v1/action-items/{item.pk}/").status_code == 200
    assert client_for(staff_c).get(f"/api/v1/meetings/{private_meeting.pk}/").status_code == 200
    _reminder_links_open_for(staff_c)


def test_owner_persons_organisation_becomes_a_participant_on_reassign(
    private_meeting: Any, staff_a: Any, org_a: Any, org_c: Any, staff_c: Any
) -> None:
    item = services.action_item_create(
        actor=staff_a,
        meeting=private_meeting,
        description="شرح اقدام",
        due_date=timezone.localdate() + timedelta(days=10),
        owner_organization=org_a,
    )
    assert list(private_meeting.participants.all()) == []
    person_c = PersonFactory(organization=org_c, registered_by_organization=org_a)
    services.action_item_reassign(actor=staff_a, action_item=item, owner_person=person_c)
    assert list(private_meeting.participants.all()) == [org_c]
    assert selectors.action_item_list_for_user(user=staff_c).filter(pk=item.pk).exists()
    _reminder_links_open_for(staff_c)


def test_owners_of_items_logged_with_the_meeting_are_participants_and_stay_on_update(
    staff_a: Any, org_a: Any, org_b: Any, org_c: Any
) -> None:
    meeting = services.meeting_log(
        actor=staff_a,
        title="جلسه",
        host=org_a,
        start=timezone.now() - timedelta(hours=1),
        action_items=[
            services.ActionItemInput(
                description="اقدام ج",
                due_date=timezone.localdate() + timedelta(days=3),
                owner_organization=org_c,
            )
        ],
    )
    assert list(meeting.participants.all()) == [org_c]
    # Replacing the chosen participants keeps the owners of the meeting's items.
    services.meeting_update(actor=staff_a, meeting=meeting, participants=[org_b])
    assert set(meeting.participants.all()) == {org_b, org_c}
