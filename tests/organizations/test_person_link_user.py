"""A person is linked to a login through the API (so that meeting reminders reach them)."""

from __future__ import annotations

from typing import Any

import pytest

from organizations.choices import Role
from organizations.models import Person
from tests.factories import PersonFactory, member

pytestmark = pytest.mark.django_db


def test_an_admin_links_and_unlinks_a_person(admin_a: Any, org_a: Any, client_for: Any) -> None:
    person = PersonFactory(organization=org_a)
    login = member(org_a, Role.STAFF, username="ahmadi")
    client = client_for(admin_a)
    url = f"/api/v1/people/{person.pk}/link-user/"
    linked = client.post(url, {"username": "ahmadi"}, format="json")
    assert linked.status_code == 200, linked.json()
    assert linked.json()["user"] == login.pk
    assert Person.objects.get(pk=person.pk).user == login
    assert client.get(f"/api/v1/people/{person.pk}/").json()["user"] == login.pk
    unlinked = client.post(url, {"username": None}, format="json")
    assert unlinked.json()["user"] is None
    assert Person.objects.get(pk=person.pk).user is None


def test_only_an_admin_of_the_persons_organisation_links(
    staff_a: Any, org_a: Any, client_for: Any
) -> None:
    person = PersonFactory(organization=org_a)
    response = client_for(staff_a).post(
        f"/api/v1/people/{person.pk}/link-user/", {"username": "staff_a"}, format="json"
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).user is None


def test_the_login_must_be_a_member_and_free(
    admin_a: Any, org_a: Any, org_b: Any, staff_b: Any, client_for: Any
) -> None:
    person = PersonFactory(organization=org_a)
    client = client_for(admin_a)
    url = f"/api/v1/people/{person.pk}/link-user/"
    outsider = client.post(url, {"username": "staff_b"}, format="json")
    assert outsider.status_code == 400
    assert "username" in outsider.json()
    assert client.post(url, {"username": "nobody"}, format="json").status_code == 400
    login = member(org_a, Role.STAFF, username="taken")
    PersonFactory(organization=org_a, user=login)
    taken = client.post(url, {"username": "taken"}, format="json")
    assert taken.status_code == 400


def test_another_organisations_person_is_404(admin_a: Any, org_b: Any, client_for: Any) -> None:
    person = PersonFactory(organization=org_b)
    response = client_for(admin_a).post(
        f"/api/v1/people/{person.pk}/link-user/", {"username": "admin_a"}, format="json"
    )
    assert response.status_code == 404
