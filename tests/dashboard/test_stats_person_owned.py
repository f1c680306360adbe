"""stats/action-items: an item owned by a person alone counts under that person's
organisation, so the organisations' rows add up to the totals and match the linked list."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from meetings.models import ActionItem
from tests.factories import ActionItemFactory, MeetingFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_person_owned_items_count_under_the_persons_organisation(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    estate = OrganizationFactory(name="شهرک صنعتی قدس", parent=org_a)
    meeting = MeetingFactory(host=org_a)
    meeting.participants.add(estate)
    ActionItemFactory(meeting=meeting, owner_organization=org_a)
    person = PersonFactory(organization=estate, full_name="مهندس احمدی")
    ActionItemFactory(meeting=meeting, owner_organization=None, owner_person=person)
    ActionItemFactory(meeting=meeting, owner_organization=None, owner_person=person)
    client = client_for(staff_a)

    body = client.get("/api/v1/stats/action-items/").json()

    rows = {row["organization"]: row for row in body["by_organization"]}
    assert rows[estate.pk]["open"] == 2
    assert rows[org_a.pk]["open"] == 1
    assert sum(row["open"] for row in body["by_organization"]) == body["totals"]["open"] == 3
    # The row's link lists exactly those items.
    query = parse_qs(urlsplit(rows[estate.pk]["url"]).query)
    listed = client.get(
        "/api/v1/action-items/", {"organization": query["organization"][0], "status": "open"}
    ).json()
    assert listed["count"] == 2
    assert {i["id"] for i in listed["results"]} == set(
        ActionItem.objects.filter(owner_person=person).values_list("pk", flat=True)
    )


def test_the_organization_filter_of_another_organisation_matches_nothing(
    client_for: Any, staff_a: Any, org_b: Any
) -> None:
    # An organisation the user may not see: an empty list, not a 500 (schemathesis found it).
    response = client_for(staff_a).get(f"/api/v1/action-items/?organization={org_b.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
