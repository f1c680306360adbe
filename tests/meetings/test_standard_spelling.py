"""Names stored in the standard Persian spelling, and people matched regardless of spelling:
a second spelling of a registered person is refused in the API, the pages, the admin and
the meeting form and API, naming the person already registered."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meetings import services as meeting_services
from meetings.models import Attendance, Meeting
from organizations import services
from organizations.models import Organization, Person
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    registered_before_the_name_index,
)

from .conftest import START

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"
PEOPLE = "/api/v1/people/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_services_store_organisations_and_people_in_standard_spelling(staff_a, org_a):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    estate = services.organization_create(
        actor=root,
        name=f"  شهرك{ZWNJ}هاي  صنعتي ـقدس ٤ ",
        kind="industrial_estate",
        county="قدس\u200f",
    )
    assert estate.name == f"شهرک{ZWNJ}های صنعتی قدس ۴"
    assert estate.county == "قدس"
    person = services.person_create(
        actor=staff_a, full_name="مهدي  نوري", position_title="مدير كل", organization=org_a
    )
    assert (person.full_name, person.position_title) == ("مهدی نوری", "مدیر کل")
    person = services.person_update(actor=staff_a, person=person, position_title="معاونِ ٢")
    assert person.position_title == "معاونِ ۲"


def test_meeting_texts_are_stored_in_standard_spelling(log_meeting, org_a):
    meeting = log_meeting(
        title="جلسه  هماهنگي",
        location="سالن جلسات شهرداري",
        attendances=[
            meeting_services.AttendanceInput(
                group_label="هيئت همراه", organization=org_a, position_title="اعضاي هيئت"
            ),
            meeting_services.AttendanceInput(new_person_name="علي  كريمي", organization=org_a),
        ],
        agenda_items=[meeting_services.AgendaItemInput(title="گردشگري صنعتي")],
    )
    assert (meeting.title, meeting.location) == ("جلسه هماهنگی", "سالن جلسات شهرداری")
    group, person = meeting.attendances.order_by("order")
    assert (group.group_label, group.position_title) == ("هیئت همراه", "اعضای هیئت")
    assert person.person.full_name == "علی کریمی"
    assert meeting.agenda_items.get().title == "گردشگری صنعتی"


def test_the_api_refuses_a_second_spelling_of_a_person_naming_the_first(
    org_a, org_b, staff_a, client_for
):
    PersonFactory(full_name="مهدی نوری", organization=org_a)
    client = client_for(staff_a)
    response = client.post(
        PEOPLE, {"full_name": "مهدي نوري", "organization": org_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "«مهدی نوری»" in response.json()["full_name"][0]
    assert Person.objects.filter(organization=org_a).count() == 1
    # Another organisation may have its own Mehdi Nouri.
    PersonFactory(full_name="الف", organization=org_b)
    response = client.post(
        PEOPLE, {"full_name": f"مهدی{ZWNJ}نوری", "organization": org_a.pk}, format="json"
    )
    assert response.status_code == 400


def test_renaming_onto_a_namesake_is_refused_but_an_old_duplicate_stays_editable(
    org_a, staff_a, client_for
):
    first = PersonFactory(full_name="مهدی نوری", organization=org_a)
    other = PersonFactory(full_name="علی رضایی", organization=org_a)
    client = client_for(staff_a)
    response = client.patch(f"{PEOPLE}{other.pk}/", {"full_name": "مهدي نوري"}, format="json")
    assert response.status_code == 400
    assert "«مهدی نوری»" in response.json()["full_name"][0]
    # Rows written before names were compared: changing the phone still works.
    with registered_before_the_name_index():
        legacy = PersonFactory(full_name="مهدي نوري", organization=org_a)
    response = client.patch(f"{PEOPLE}{legacy.pk}/", {"phone": "021"}, format="json")
    assert response.status_code == 200, response.json()
    assert Person.objects.get(pk=first.pk).full_name == "مهدی نوری"


def test_the_person_form_refuses_a_second_spelling(org_a, staff_a):
    PersonFactory(full_name="مهدی نوری", organization=org_a)
    response = _client(staff_a).post(
        "/organizations/people/new/", {"full_name": "مهدي نوري", "organization": org_a.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "«مهدی نوری»" in html
    assert "مهدي نوري" in html  # what was typed is kept
    assert Person.objects.count() == 1


def test_the_admin_refuses_a_second_spelling_as_a_form_error(org_a):
    PersonFactory(full_name="مهدی نوری", organization=org_a)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = _client(root).post(
        "/admin/organizations/person/add/",
        {"full_name": "مهدي نوري", "organization": org_a.pk},
    )
    assert response.status_code == 200
    assert "«مهدی نوری»" in response.content.decode()
    assert Person.objects.count() == 1


def test_the_meeting_form_refuses_a_new_person_who_is_registered(org_a, staff_a, person_a):
    PersonFactory(full_name="مهدی نوری", organization=org_a)
    data = {
        "title": "جلسه هماهنگی",
        "kind": "coordination",
        "status": "held",
        "start": "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰",
        "host": str(org_a.pk),
        "attendances-TOTAL_FORMS": "1",
        "attendances-INITIAL_FORMS": "0",
        "attendances-0-new_person_name": "مهدي نوري",
        "attendances-0-organization": str(org_a.pk),
        "attendances-0-role": "member",
        "attendances-0-status": "present",
        "agenda_items-TOTAL_FORMS": "0",
        "agenda_items-INITIAL_FORMS": "0",
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "0",
        "action_items-INITIAL_FORMS": "0",
    }
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 400
    assert "«مهدی نوری»" in response.content.decode()
    assert not Meeting.objects.exists()
    assert Person.objects.filter(name_key="مهدی نوری").count() == 1


def test_the_meeting_api_names_the_registered_person_and_a_repeated_new_one(
    org_a, staff_a, client_for
):
    PersonFactory(full_name="مهدی نوری", organization=org_a)
    body = {
        "title": "جلسه",
        "kind": "coordination",
        "status": "held",
        "start": "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰",
        "host": org_a.pk,
        "attendances": [
            {"new_person_name": "مهدي نوري", "organization": org_a.pk},
            {"new_person_name": "علی کریمی", "organization": org_a.pk},
            {"new_person_name": "علي كريمي", "organization": org_a.pk},
        ],
    }
    response = client_for(staff_a).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "«مهدی نوری»" in errors["attendances.0.new_person_name"][0]
    assert "attendances.1.new_person_name" not in errors
    assert "ردیف" in errors["attendances.2.new_person_name"][0]
    assert not Attendance.objects.exists()
    assert Person.objects.count() == 1


def test_another_organisations_person_is_not_changed_by_b(org_a, org_b, staff_b, client_for):
    person = PersonFactory(full_name="مهدی نوری", organization=org_a)
    response = client_for(staff_b).patch(
        f"{PEOPLE}{person.pk}/", {"full_name": "مهدي نوري"}, format="json"
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.full_name == "مهدی نوری"


def test_migration_standardises_rows_written_with_arabic_letters(org_a):
    """The data migrations' functions, run on rows written past the services."""
    from importlib import import_module

    from django.apps import apps

    parent = OrganizationFactory(name="پدر")
    Organization.objects.filter(pk=parent.pk).update(
        name="شهرك  صنعتي ٤", name_key="stale", city="قدس\u0640"
    )
    person = PersonFactory(organization=org_a)
    Person.objects.filter(pk=person.pk).update(
        full_name=f"مهدي نوري{ZWNJ}", name_key="stale", position_title="مدير"
    )
    meeting = Meeting.objects.create(
        title="جلسه  هماهنگي", start=START, host=org_a, location="محل شهرداري"
    )
    attendance = Attendance.objects.create(
        meeting=meeting, organization=org_a, group_label="هيئت همراه", order=0
    )

    import_module("organizations.migrations.0005_standard_spelling").standardize_names(apps, None)
    import_module("meetings.migrations.0009_standard_spelling").standardize_text(apps, None)

    parent.refresh_from_db()
    assert (parent.name, parent.name_key, parent.city) == ("شهرک صنعتی ۴", "شهرک صنعتی 4", "قدس")
    person.refresh_from_db()
    assert (person.full_name, person.name_key, person.position_title) == (
        "مهدی نوری",
        "مهدی نوری",
        "مدیر",
    )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("جلسه هماهنگی", "محل شهرداری")
    attendance.refresh_from_db()
    assert attendance.group_label == "هیئت همراه"
