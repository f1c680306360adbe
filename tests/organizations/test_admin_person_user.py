"""The admin's person page links a login through the service (a tester saw «کاربر» dropped:
the page said it saved, and no person had a login, so no reminder reached anyone)."""

from __future__ import annotations

import pytest
from django.test import Client

from organizations.models import Membership, Person
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _root() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _post(client: Client, person: Person, **extra: object) -> object:
    data = {
        "full_name": person.full_name,
        "position_title": person.position_title,
        "organization": person.organization_id,
        "phone": person.phone,
        "email": person.email,
        **extra,
    }
    return client.post(f"/admin/organizations/person/{person.pk}/change/", data)


def test_choosing_a_member_login_links_it_and_clearing_it_unlinks() -> None:
    org = OrganizationFactory()
    person = PersonFactory(organization=org)
    login = UserFactory(username="modir")
    Membership.objects.create(user=login, organization=org, role="manager")
    client = _root()

    response = _post(client, person, user=login.pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.user_id == login.pk

    assert _post(client, person, user="").status_code == 302
    person.refresh_from_db()
    assert person.user_id is None


def test_a_login_of_another_organisation_is_a_form_error_and_nothing_is_saved() -> None:
    person = PersonFactory(organization=OrganizationFactory())
    stranger = UserFactory(username="stranger")
    Membership.objects.create(user=stranger, organization=OrganizationFactory(), role="staff")

    response = _post(_root(), person, user=stranger.pk, full_name="نام تازه")

    assert response.status_code == 200
    assert "عضو سازمان این شخص نیست" in response.content.decode()
    person.refresh_from_db()
    assert person.user_id is None
    assert person.full_name != "نام تازه"
