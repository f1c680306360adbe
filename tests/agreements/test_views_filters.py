"""Filters of the agreement list: organisation selects (no raw ids), the dashboard's
``organization`` (owner or party) and ``province``, ids still accepted by the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import AgreementFactory, AgreementPartyFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rows(org_a: Any, org_b: Any) -> dict[str, Any]:
    far = OrganizationFactory(name="سازمان دور", province="خراسان")
    owned = AgreementFactory(owning_organization=org_a, title="مالک الف")
    with_far = AgreementFactory(owning_organization=org_a, title="با طرف دور")
    AgreementPartyFactory(agreement=with_far, organization=far, role="second_party")
    return {"far": far, "owned": owned, "with_far": with_far}


def _titles(client: Client, query: str) -> list[str]:
    html = client.get(f"/agreements/?{query}").content.decode()
    return [t for t in ("مالک الف", "با طرف دور") if t in html]


def test_filters_are_selects_with_all_as_empty_choice(staff_a: Any, rows: dict[str, Any]):
    html = web(staff_a).get("/agreements/").content.decode()
    for name in ("party", "owning_organization", "organization"):
        assert f'<select name="{name}"' in html, name
    assert "شناسه" not in html
    assert '<option value="" selected>همه</option>' in html


def test_party_owner_organisation_and_province(
    staff_a: Any, org_a: Any, org_b: Any, rows: dict[str, Any]
):
    client = web(staff_a)
    far = rows["far"].pk
    assert _titles(client, f"party={far}") == ["با طرف دور"]
    assert _titles(client, f"owning_organization={org_a.pk}") == ["مالک الف", "با طرف دور"]
    assert _titles(client, f"organization={far}") == ["با طرف دور"]
    assert _titles(client, f"organization={org_a.pk}") == ["مالک الف", "با طرف دور"]
    assert _titles(client, "province=خراسان") == ["با طرف دور"]
    assert _titles(client, f"owning_organization={org_b.pk}") == []
    assert _titles(client, "party=999999") == []
    assert "«x» شناسه درستی نیست" in client.get("/agreements/?party=x").content.decode()


def test_api_still_takes_ids(staff_a: Any, rows: dict[str, Any], client_for: Any):
    api = client_for(staff_a)
    response = api.get(f"/api/v1/agreements/?party={rows['far'].pk}")
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == ["با طرف دور"]
    assert api.get("/api/v1/agreements/?owning_organization=x").status_code == 400
