"""«سازمان تازه»: the page, its button on the list, and the JSON answer of the dialog."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from organizations.choices import Role
from organizations.models import Organization
from tests.factories import member

pytestmark = pytest.mark.django_db

URL = "/organizations/new/"
JSON = {"HTTP_ACCEPT": "application/json"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_the_button_and_create_an_organisation(staff_a: Any) -> None:
    client = _client(staff_a)
    assert URL in client.get("/organizations/").content.decode()
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"name": "شهرك صنعتي  نصيرآباد", "kind": "industrial_estate"})
    created = Organization.objects.get(name="شهرک صنعتی نصیرآباد")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()


def test_viewers_get_no_button_and_a_403(viewer_a: Any) -> None:
    client = _client(viewer_a)
    assert URL not in client.get("/organizations/").content.decode()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "x", "kind": "other"}, **JSON).status_code == 403
    assert not Organization.objects.filter(name="x").exists()


def test_the_dialog_gets_json_and_persian_field_errors(staff_a: Any, org_a: Any) -> None:
    client = _client(staff_a)
    response = client.post(URL, {"name": "شهرداری نصیرشهر", "kind": "municipality"}, **JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "شهرداری نصیرشهر"
    assert Organization.objects.filter(pk=body["id"]).exists()
    # The same name in another spelling: refused, naming the field.
    response = client.post(URL, {"name": "شهرداري نصيرشهر", "kind": "municipality"}, **JSON)
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    response = client.post(URL, {"name": "", "kind": "nonsense"}, **JSON)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name", "kind"}
    fragment = client.get(URL + "?fragment=1").content.decode()
    assert "<html" not in fragment
    assert 'name="kind"' in fragment


def test_a_child_needs_the_admin_role_in_its_parent(staff_a: Any, org_a: Any) -> None:
    # Staff of A are offered no parent, and cannot post one.
    client = _client(staff_a)
    assert list(client.get(URL).context["form"].fields["parent"].queryset) == []
    response = client.post(
        URL, {"name": "شهرک تازه", "kind": "industrial_estate", "parent": org_a.pk}, **JSON
    )
    assert response.status_code == 400
    admin = member(org_a, Role.ADMIN)
    response = _client(admin).post(
        URL, {"name": "شهرک تازه", "kind": "industrial_estate", "parent": org_a.pk}, **JSON
    )
    assert response.status_code == 201
    assert Organization.objects.get(pk=response.json()["id"]).parent == org_a
