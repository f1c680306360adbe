"""GET /api/v1/stats/commitments/ against rows counted here, its links, and its scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from agreements.selectors import tehran_today
from commitments import services
from commitments.choices import OccurrenceStatus
from commitments.models import CommitmentOccurrence
from organizations.choices import Role
from tests.factories import OrganizationFactory, member
from tracker.jalali import to_jalali_date

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def rows(make_commitment: Any, party_a: Any, staff_b: Any, manager_a: Any) -> dict[str, Any]:
    """org_b: 2 done, 1 late (open past due), 1 open not due, 1 waived; org_a: 1 late."""
    today = tehran_today()
    ago, ahead = today - timedelta(days=5), today + timedelta(days=20)
    done = [make_commitment(due_date=ago).occurrences.get() for _ in range(2)]
    for occ in done:
        services.occurrence_complete(actor=staff_b, occurrence=occ, evidence_note="انجام", now=NOW)
    make_commitment(due_date=ago)
    make_commitment(due_date=ahead)
    waived = make_commitment(due_date=ago).occurrences.get()
    services.occurrence_waive(actor=manager_a, occurrence=waived, reason="بخشوده", now=NOW)
    make_commitment(party=party_a, due_date=ago)
    return {"ago": ago, "ahead": ahead}


def test_the_figures_are_the_counted_rows(
    rows: dict[str, Any], client_for: Any, staff_a: Any, org_a: Any, org_b: Any
) -> None:
    body = client_for(staff_a).get("/api/v1/stats/commitments/").json()
    assert body["totals"] == {
        "done": 2,
        "late": 2,
        "open": 1,
        "waived": 1,
        "fulfilment_rate": 0.5,
    }
    by_org = {r["organization"]: r for r in body["by_organization"]}
    assert (by_org[org_b.pk]["done"], by_org[org_b.pk]["late"]) == (2, 1)
    assert by_org[org_b.pk]["fulfilment_rate"] == round(2 / 3, 4)
    assert (by_org[org_a.pk]["late"], by_org[org_a.pk]["fulfilment_rate"]) == (1, 0.0)
    # Checked against the rows themselves.
    assert sum(r["done"] + r["late"] + r["open"] + r["waived"] for r in body["by_party"]) == (
        CommitmentOccurrence.objects.count()
    )
    assert CommitmentOccurrence.objects.filter(status=OccurrenceStatus.DONE).count() == 2
    months = {(m["year"], m["month"]): m for m in body["by_month"]}
    j = to_jalali_date(rows["ago"])
    assert months[(j.year, j.month)]["late"] == 2
    assert sum(m["done"] for m in body["by_month"]) == 2


def test_the_links_open_the_list_filtered_to_the_same_rows(
    rows: dict[str, Any], client_for: Any, staff_a: Any, org_b: Any
) -> None:
    client = client_for(staff_a)
    body = client.get("/api/v1/stats/commitments/").json()
    row = next(r for r in body["by_organization"] if r["organization"] == org_b.pk)
    query = parse_qs(urlsplit(row["late_url"]).query)
    assert urlsplit(row["late_url"]).path == "/commitments/"
    listed = client.get("/api/v1/commitment-occurrences/", {k: v[0] for k, v in query.items()})
    assert listed.json()["count"] == row["late"]
    party = body["by_party"][0]
    query = parse_qs(urlsplit(party["url"]).query)
    listed = client.get("/api/v1/commitment-occurrences/", {k: v[0] for k, v in query.items()})
    assert listed.json()["count"] == sum(party[k] for k in ("done", "late", "open", "waived"))


def test_filters_by_organisation_and_range(
    rows: dict[str, Any], client_for: Any, staff_a: Any, org_b: Any
) -> None:
    client = client_for(staff_a)
    body = client.get("/api/v1/stats/commitments/", {"organization": org_b.pk}).json()
    assert body["totals"]["late"] == 1
    ahead = rows["ahead"].isoformat()
    body = client.get("/api/v1/stats/commitments/", {"date_from": ahead}).json()
    assert body["totals"]["open"] == 1
    assert body["totals"]["done"] == 0


def test_another_organisation_counts_nothing_of_ours(rows: dict[str, Any], client_for: Any) -> None:
    outsider = member(OrganizationFactory(name="شهرداری ج"), Role.MANAGER)
    body = client_for(outsider).get("/api/v1/stats/commitments/").json()
    assert body["totals"]["done"] == body["totals"]["late"] == 0
    assert body["by_party"] == body["by_organization"] == []


def test_the_dashboard_card_shows_the_figures(
    rows: dict[str, Any], client: Any, staff_a: Any
) -> None:
    client.force_login(staff_a)
    page = client.get("/dashboard/").content.decode()
    assert 'id="commitments"' in page
    assert "ایفای تعهدات" in page
