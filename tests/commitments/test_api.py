"""The commitments API: CRUD, the actions, the nested list, the occurrence list's filters,
scoping across two organisations, and query counts that do not grow with the rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from agreements.choices import PartyRole
from agreements.models import AgreementParty
from agreements.selectors import tehran_today
from commitments import services
from commitments.choices import OccurrenceStatus
from commitments.models import Commitment
from organizations.choices import Role
from organizations.scoping import forget_scope
from tests.factories import AgreementFactory, OrganizationFactory, member

from .conftest import NOW, days

pytestmark = pytest.mark.django_db


def test_create_through_the_api_with_a_jalali_date(
    client_for: Any, staff_a: Any, agreement: Any, party_b: Any, person_b: Any
) -> None:
    response = client_for(staff_a).post(
        "/api/v1/commitments/",
        {
            "agreement": agreement.pk,
            "party": party_b.pk,
            "clause": "ماده ۴",
            "title": "تحویل زمین",
            "due_date": "۱۴۰۳/۰۲/۰۱",
            "recurrence": "monthly",
            "repeat_until": "1403/04/01",
            "responsible": person_b.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["due_date"] == "2024-04-20"
    assert body["due_date_jalali"] == "1403/02/01"
    assert [o["due_date_jalali"] for o in body["occurrences"]] == [
        "1403/02/01",
        "1403/03/01",
        "1403/04/01",
    ]
    assert body["responsible_name"] == "مسئول شهرک"


def test_an_impossible_date_is_a_persian_400_naming_the_field(
    client_for: Any, staff_a: Any, agreement: Any, party_b: Any
) -> None:
    response = client_for(staff_a).post(
        f"/api/v1/agreements/{agreement.pk}/commitments/",
        {"party": party_b.pk, "title": "x", "due_date": "1403/07/31"},
        format="json",
    )
    assert response.status_code == 400
    assert "due_date" in response.json()


def test_nested_list_and_create_under_the_agreement(
    client_for: Any, staff_a: Any, agreement: Any, party_b: Any, make_commitment: Any
) -> None:
    make_commitment()
    client = client_for(staff_a)
    created = client.post(
        f"/api/v1/agreements/{agreement.pk}/commitments/",
        {"party": party_b.pk, "title": "گزارش ماهانه", "due_date": "2024-05-01"},
        format="json",
    )
    assert created.status_code == 201
    body = client.get(f"/api/v1/agreements/{agreement.pk}/commitments/").json()
    assert body["count"] == 2


def test_another_organisation_gets_404_everywhere(
    client_for: Any, agreement: Any, make_commitment: Any, party_b: Any
) -> None:
    outsider = member(OrganizationFactory(name="شهرداری ج"), Role.MANAGER)
    commitment = make_commitment()
    occ = commitment.occurrences.get()
    client = client_for(outsider)
    assert client.get(f"/api/v1/commitments/{commitment.pk}/").status_code == 404
    assert client.get(f"/api/v1/commitment-occurrences/{occ.pk}/").status_code == 404
    assert client.get(f"/api/v1/agreements/{agreement.pk}/commitments/").status_code == 404
    assert (
        client.post(
            f"/api/v1/commitments/{commitment.pk}/complete/",
            {"evidence_note": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/commitments/{commitment.pk}/", {"title": "x"}, format="json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/commitments/{commitment.pk}/").status_code == 404
    assert (
        client.post(
            "/api/v1/commitments/",
            {
                "agreement": agreement.pk,
                "party": party_b.pk,
                "title": "x",
                "due_date": "2024-05-01",
            },
            format="json",
        ).status_code
        == 404
    )
    assert client.get("/api/v1/commitments/").json()["count"] == 0
    assert client.get("/api/v1/commitment-occurrences/").json()["count"] == 0
    assert Commitment.objects.get(pk=commitment.pk).title != "x"


def test_the_party_sees_and_completes_its_commitment(
    client_for: Any, staff_b: Any, make_commitment: Any
) -> None:
    commitment = make_commitment()
    client = client_for(staff_b)
    missing = client.post(f"/api/v1/commitments/{commitment.pk}/complete/", {}, format="json")
    assert missing.status_code == 400
    assert "evidence_note" in missing.json()
    done = client.post(
        f"/api/v1/commitments/{commitment.pk}/complete/",
        {"evidence_note": "صورت‌جلسه تحویل"},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["occurrences"][0]["status"] == OccurrenceStatus.DONE


def test_waive_by_the_party_is_403_and_by_the_owners_manager_200(
    client_for: Any, manager_b: Any, manager_a: Any, make_commitment: Any
) -> None:
    occ = make_commitment().occurrences.get()
    url = f"/api/v1/commitment-occurrences/{occ.pk}/waive/"
    assert client_for(manager_b).post(url, {"reason": "x"}, format="json").status_code == 403
    response = client_for(manager_a).post(url, {"reason": "تغییر شرایط"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == OccurrenceStatus.WAIVED
    again = client_for(manager_a).post(url, {"reason": "دوباره"}, format="json")
    assert again.status_code == 409


def test_the_occurrence_list_filters(
    client_for: Any, staff_a: Any, make_commitment: Any, agreement: Any, party_a: Any, org_b: Any
) -> None:
    # The overdue filter reads today's date: due dates around the real today.
    today = tehran_today()
    make_commitment(due_date=today - timedelta(days=3))  # org_b, overdue (open, past due)
    make_commitment(due_date=today + timedelta(days=30))  # org_b, open
    make_commitment(party=party_a, due_date=today + timedelta(days=5))  # org_a
    client = client_for(staff_a)

    def count(query: str) -> int:
        response = client.get(f"/api/v1/commitment-occurrences/?{query}")
        assert response.status_code == 200, response.json()
        return int(response.json()["count"])

    assert count("") == 3
    assert count(f"organization={org_b.pk}") == 2
    assert count(f"party={party_a.pk}") == 1
    assert count("overdue=true") == 1
    assert count("overdue=false") == 2
    assert count("status=open") == 3
    start, end = today - timedelta(days=4), today + timedelta(days=6)
    assert count(f"agreement={agreement.pk}&due_after={start}&due_before={end}") == 2
    assert client.get("/api/v1/commitment-occurrences/?due_after=1403/13/01").status_code == 400


def _rows(agreement: Any, party: Any, actor: Any, n: int) -> None:
    for i in range(n):
        services.commitment_create(
            actor=actor,
            agreement=agreement,
            party=party,
            title=f"تعهد {i}",
            due_date=days(i),
            now=NOW,
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session+scope (2: memberships, subtree) + count + rows (joined to-one) = 4
        ("/api/v1/commitment-occurrences/", 4),
        # scope (2) + count + rows + the occurrences prefetched = 5
        ("/api/v1/commitments/", 5),
    ],
)
def test_list_query_counts_do_not_grow_with_the_rows(
    client_for: Any,
    staff_a: Any,
    agreement: Any,
    party_b: Any,
    url: str,
    queries: int,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(staff_a)
    for n in (3, 20):
        _rows(agreement, party_b, staff_a, n)
        forget_scope(staff_a)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200


def test_an_agreement_a_party_does_not_see_yet_hides_its_commitments(
    client_for: Any, org_a: Any, org_b: Any, staff_a: Any, staff_b: Any
) -> None:
    """A draft stays inside the owner: the party does not see its commitments either."""
    draft = AgreementFactory(owning_organization=org_a)
    party = AgreementParty.objects.create(
        agreement=draft, organization=org_b, role=PartyRole.SECOND_PARTY
    )
    services.commitment_create(
        actor=staff_a, agreement=draft, party=party, title="پیش‌نویس", due_date=days(3), now=NOW
    )
    assert client_for(staff_a).get("/api/v1/commitments/").json()["count"] == 1
    assert client_for(staff_b).get("/api/v1/commitments/").json()["count"] == 0
