"""From the meeting to the draft MoU: the prefilled agreement form, the link written with the
draft in one transaction, the next reference number of the owner, scoping."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from agreements.models import Agreement
from agreements.selectors import agreement_next_references
from agreements.selectors.references import current_jalali_year
from meetings import services
from meetings.models import MeetingEvent
from tests.factories import AgreementFactory, OrganizationFactory, member
from tracker.text import to_persian_digits

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(log_meeting: Any, org_a: Any) -> Any:
    estate = OrganizationFactory(name="شهرک صنعتی قدس", kind="industrial_estate")
    return log_meeting(
        title="جلسه هماهنگی تفاهم‌نامه",
        participants=[estate],
        agenda_items=[services.AgendaItemInput(title="خدمات شهرداری به شهرک‌ها")],
        decisions=[],
        action_items=[],
    )


def test_next_reference_continues_the_owners_pattern_for_the_year(org_a: Any, org_b: Any) -> None:
    AgreementFactory(owning_organization=org_a, reference_number="ت/۱۳۹۹/۰۰۷")
    AgreementFactory(owning_organization=org_a, reference_number="ت/1399/012")
    AgreementFactory(owning_organization=org_a, reference_number="ت/۱۳۹۸/۰۹۹")
    AgreementFactory(owning_organization=org_b, reference_number="ق-1399-5")
    suggested = agreement_next_references(owner_ids=[org_a.pk, org_b.pk], year=1399)
    assert suggested == {org_a.pk: "ت/۱۳۹۹/۰۱۳", org_b.pk: "ق-۱۳۹۹-۶"}
    assert agreement_next_references(owner_ids=[org_a.pk], year=1400) == {org_a.pk: "ت/۱۴۰۰/۰۰۱"}


def test_next_reference_is_one_query_for_all_owners(
    org_a: Any, org_b: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        AgreementFactory(owning_organization=org_a)
        AgreementFactory(owning_organization=org_b)
    # One SELECT of the owners' numbers of that year, however many owners and rows.
    with django_assert_num_queries(1):
        agreement_next_references(owner_ids=[org_a.pk, org_b.pk], year=1403)


def test_the_agreement_form_preselects_the_only_owner_and_its_next_number(
    org_a: Any, staff_a: Any
) -> None:
    year = current_jalali_year()
    AgreementFactory(owning_organization=org_a, reference_number=f"ت/{year}/004")
    form = _client(staff_a).get("/agreements/new/").context["form"]
    assert form.initial["owning_organization"] == org_a.pk
    assert form.initial["reference_number"] == to_persian_digits(f"ت/{year}/005")
    assert "data-reference-suggestions" in str(form["owning_organization"])


def test_meeting_page_offers_the_draft_and_the_form_is_prefilled(
    meeting: Any, staff_a: Any, org_a: Any
) -> None:
    client = _client(staff_a)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "پیش‌نویس تفاهم‌نامه از این جلسه" in html
    response = client.get(f"/meetings/{meeting.pk}/agreement-draft/")
    assert response.status_code == 200
    form = response.context["form"]
    estate = meeting.participants.get()
    assert form.initial["owning_organization"] == org_a.pk
    assert form.initial["first_party"] == org_a.pk
    assert form.initial["second_party"] == estate.pk
    assert form.initial["title"] == "خدمات شهرداری به شهرک‌ها"
    assert form.initial["reference_number"].startswith("ت/")
    assert meeting.title in response.content.decode()


def test_saving_the_draft_links_it_to_the_meeting(meeting: Any, staff_a: Any, org_a: Any) -> None:
    estate = meeting.participants.get()
    response = _client(staff_a).post(
        f"/meetings/{meeting.pk}/agreement-draft/",
        {
            "owning_organization": org_a.pk,
            "reference_number": "ت/۱۳۹۹/۰۰۱",
            "title": "تفاهم‌نامه همکاری",
            "first_party": org_a.pk,
            "second_party": estate.pk,
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert list(meeting.agreements.all()) == [agreement]
    assert set(agreement.parties.values_list("organization_id", flat=True)) == {
        org_a.pk,
        estate.pk,
    }
    assert MeetingEvent.objects.filter(meeting=meeting, kind="agreement_linked").count() == 1


def test_a_refused_draft_saves_nothing_and_keeps_the_input(
    meeting: Any, staff_a: Any, org_a: Any
) -> None:
    AgreementFactory(owning_organization=org_a, reference_number="ت/۱۳۹۹/۰۰۱")
    response = _client(staff_a).post(
        f"/meetings/{meeting.pk}/agreement-draft/",
        {"owning_organization": org_a.pk, "reference_number": "ت/1399/001", "title": "عنوان تازه"},
    )
    assert response.status_code == 400
    assert "عنوان تازه" in response.content.decode()
    assert Agreement.objects.count() == 1
    assert not meeting.agreements.exists()


def test_another_organisation_gets_404_and_a_viewer_403(
    meeting: Any, staff_b: Any, org_a: Any
) -> None:
    assert _client(staff_b).get(f"/meetings/{meeting.pk}/agreement-draft/").status_code == 404
    response = _client(staff_b).post(
        f"/meetings/{meeting.pk}/agreement-draft/",
        {"owning_organization": org_a.pk, "reference_number": "x", "title": "y"},
    )
    assert response.status_code == 404
    viewer = member(org_a, "viewer")
    assert _client(viewer).get(f"/meetings/{meeting.pk}/agreement-draft/").status_code == 403
    assert not Agreement.objects.exists()


def test_the_edit_form_links_and_unlinks_agreements_keeping_hidden_links(
    log_meeting: Any, staff_a: Any, person_a: Any, org_a: Any, org_b: Any
) -> None:
    from .test_views_edit import _edit_data

    meeting = log_meeting()
    kept = AgreementFactory(owning_organization=org_a)
    added = AgreementFactory(owning_organization=org_a)
    # B's draft, linked by someone who could see it: A's staff neither see nor drop it.
    hidden = AgreementFactory(owning_organization=org_b)
    meeting.agreements.add(kept, hidden)
    client = _client(staff_a)
    form = client.get(f"/meetings/{meeting.pk}/edit/").context["form"]
    assert form.initial["agreements"] == [kept.pk]

    response = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {**_edit_data(meeting, person_a), "agreements": [str(added.pk)]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(meeting.agreements.values_list("pk", flat=True)) == {added.pk, hidden.pk}
    event = MeetingEvent.objects.filter(meeting=meeting, kind="updated").get()
    assert event.data["agreements_linked"] == [added.pk]
    assert event.data["agreements_unlinked"] == [kept.pk]


def test_the_edit_form_cannot_link_an_agreement_the_user_cannot_see(
    log_meeting: Any, staff_a: Any, person_a: Any, org_b: Any
) -> None:
    from .test_views_edit import _edit_data

    meeting = log_meeting()
    hidden = AgreementFactory(owning_organization=org_b)
    response = _client(staff_a).post(
        f"/meetings/{meeting.pk}/edit/",
        {**_edit_data(meeting, person_a), "agreements": [str(hidden.pk)]},
    )
    assert response.status_code == 400
    assert not meeting.agreements.exists()
