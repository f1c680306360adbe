"""Refusals look like refusals: a viewer's POST to a page action is a Persian 403 (not a 302
with a flash message that looks like it went through), the people forms refuse a viewer, and
the pages do not show a viewer the controls they cannot use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from agreements.choices import AgreementStatus
from agreements.models import AgreementParty, AgreementStatusChange
from meetings.choices import MeetingStatus
from meetings.models import ActionItem, Meeting
from organizations.choices import Role
from organizations.models import Person
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    AgreementVersionFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    member,
)
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db

START = datetime(2020, 8, 1, 10, 0, tzinfo=TEHRAN)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def planned(org_a: Any) -> Meeting:
    meeting = MeetingFactory(host=org_a, start=START, status=MeetingStatus.PLANNED)
    ActionItemFactory(meeting=meeting, owner_organization=org_a)
    return meeting


@pytest.fixture
def held(org_a: Any) -> Meeting:
    return MeetingFactory(host=org_a, start=START, status=MeetingStatus.HELD, minutes="متن")


def _assert_refused(response: Any) -> None:
    assert response.status_code == 403
    body = response.content.decode()
    assert "نقش" in body or "کارشناس" in body or "مدیر" in body, body[:500]


def test_a_viewers_meeting_actions_are_403s_and_change_nothing(
    viewer_a: Any, planned: Meeting, held: Meeting
) -> None:
    client = _client(viewer_a)
    item = ActionItem.objects.get(meeting=planned)

    responses = [
        client.post(f"/meetings/{planned.pk}/mark-held/"),
        client.post(f"/meetings/{planned.pk}/cancel/", {"reason": "x"}),
        client.post(f"/meetings/{held.pk}/approve-minutes/"),
        client.post(f"/meetings/{held.pk}/addenda/", {"text": "الحاقیه"}),
        client.post(f"/meetings/action-items/{item.pk}/complete/", {"note": "x"}),
    ]

    for response in responses:
        _assert_refused(response)
    planned.refresh_from_db()
    held.refresh_from_db()
    item.refresh_from_db()
    assert (planned.status, held.status, item.status) == ("planned", "held", "open")


def test_a_staff_members_meeting_action_still_redirects_with_a_message(
    staff_a: Any, planned: Meeting
) -> None:
    response = _client(staff_a).post(f"/meetings/{planned.pk}/mark-held/", follow=True)

    assert response.redirect_chain[-1][1] == 302
    assert "جلسه برگزارشده ثبت شد." in response.content.decode()


def test_a_state_conflict_stays_a_message_on_the_page(staff_a: Any, held: Meeting) -> None:
    # Marking a held meeting held again is a rule of its state, not of the user's role.
    response = _client(staff_a).post(f"/meetings/{held.pk}/mark-held/")

    assert response.status_code == 302


def test_a_viewers_agreement_actions_are_403s_and_write_no_history(
    org_a: Any, org_b: Any, viewer_a: Any
) -> None:
    agreement = AgreementFactory(
        owning_organization=org_a, status=AgreementStatus.NEGOTIATION, status_changed_at=START
    )
    AgreementVersionFactory(agreement=agreement)
    AgreementPartyFactory(agreement=agreement, organization=org_a, role="first_party")
    client = _client(viewer_a)

    responses = [
        client.post(f"/agreements/{agreement.pk}/transition/", {"to": "approved"}),
        client.post(f"/agreements/{agreement.pk}/approve/", {"organization": org_a.pk}),
        client.post(
            f"/agreements/{agreement.pk}/parties/add/",
            {"organization": org_b.pk, "role": "second_party"},
        ),
        client.post(f"/agreements/{agreement.pk}/parties/add/", {}),
    ]

    for response in responses:
        _assert_refused(response)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.NEGOTIATION
    assert not AgreementStatusChange.objects.filter(agreement=agreement).exists()
    assert AgreementParty.objects.filter(agreement=agreement).count() == 1


def test_the_people_forms_refuse_a_viewer(org_a: Any, viewer_a: Any) -> None:
    person = PersonFactory(organization=org_a)
    client = _client(viewer_a)

    pages = [
        client.get("/organizations/people/new/"),
        client.post("/organizations/people/new/", {"full_name": "تازه", "organization": org_a.pk}),
        client.get(f"/organizations/people/{person.pk}/edit/"),
        client.post(
            f"/organizations/people/{person.pk}/edit/",
            {"full_name": "دیگر", "organization": org_a.pk},
        ),
    ]

    for response in pages:
        _assert_refused(response)
    person.refresh_from_db()
    assert person.full_name != "دیگر"
    assert Person.objects.count() == 1


def test_the_people_forms_still_open_for_staff(org_a: Any, staff_a: Any) -> None:
    person = PersonFactory(organization=org_a)
    client = _client(staff_a)

    assert client.get("/organizations/people/new/").status_code == 200
    assert client.get(f"/organizations/people/{person.pk}/edit/").status_code == 200


def test_the_people_list_shows_a_viewer_no_register_or_edit(org_a: Any, viewer_a: Any) -> None:
    person = PersonFactory(organization=org_a)

    html = _client(viewer_a).get("/organizations/people/").content.decode()

    assert person.full_name in html
    assert "ثبت شخص" not in html
    assert "/edit/" not in html


def test_the_people_list_shows_staff_their_controls(org_a: Any, staff_a: Any) -> None:
    mine = PersonFactory(organization=org_a)
    # Another organisation's person that org_a registered stays editable by org_a's staff;
    # one it can see but did not register is not.
    other = OrganizationFactory()
    registered = PersonFactory(organization=other, registered_by_organization=org_a)

    html = _client(staff_a).get("/organizations/people/").content.decode()

    assert "ثبت شخص" in html
    assert f"/organizations/people/{mine.pk}/edit/" in html
    assert f"/organizations/people/{registered.pk}/edit/" in html


def test_a_manager_of_another_organisation_sees_no_edit_of_ours(org_a: Any, org_b: Any) -> None:
    person = PersonFactory(organization=org_a, registered_by_organization=org_a)
    viewer_b = member(org_b, Role.VIEWER)
    PersonFactory(organization=org_b)

    html = _client(viewer_b).get("/organizations/people/").content.decode()

    assert person.full_name not in html
    assert "/edit/" not in html


def test_a_completion_note_past_its_limit_is_refused_on_the_page(
    staff_a: Any, planned: Meeting
) -> None:
    item = ActionItem.objects.get(meeting=planned)

    response = _client(staff_a).post(
        f"/meetings/action-items/{item.pk}/complete/", {"note": "ی" * 2001}, follow=True
    )

    item.refresh_from_db()
    assert item.status == "open"
    assert "توضیح انجام باید حداکثر ۲۰۰۰ نویسه باشد." in response.content.decode()
