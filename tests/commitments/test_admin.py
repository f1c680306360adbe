"""The commitments admin: read-only (moves go through the services), Persian, and its
change pages cost the same queries whatever the number of occurrences or moves."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, CommitmentOccurrence, OccurrenceStatusChange
from tests.factories import UserFactory

from .conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _with_occurrences(agreement: Any, party: Any, count: int) -> Commitment:
    commitment = Commitment.objects.create(
        agreement=agreement, party=party, title=f"تعهد {count}", due_date=days(1)
    )
    for n in range(1, count + 1):
        occ = CommitmentOccurrence.objects.create(
            commitment=commitment, number=n, due_date=days(n), status_changed_by=UserFactory()
        )
        for _ in range(count):
            OccurrenceStatusChange.objects.create(
                occurrence=occ, to_status="open", actor=UserFactory()
            )
    return commitment


def test_the_changelists_are_persian_and_offer_no_add(
    root_client: Client, make_commitment: Any
) -> None:
    make_commitment()
    for url, title in (
        ("/admin/commitments/commitment/", "تعهدات"),
        ("/admin/commitments/commitmentoccurrence/", "نوبت‌های تعهد"),
    ):
        page = root_client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert title in body
        assert "/add/" not in body.split("<table", 1)[0].split("changelist", 1)[-1]
        assert root_client.get(url + "add/").status_code == 403
    body = root_client.get("/admin/commitments/commitmentoccurrence/").content.decode()
    for heading in ("طرف متعهد", "مهلت", "وضعیت"):
        assert heading in body


def test_the_status_of_an_occurrence_cannot_be_changed_in_the_admin(
    root_client: Client, make_commitment: Any
) -> None:
    occ = make_commitment().occurrences.get()
    url = f"/admin/commitments/commitmentoccurrence/{occ.pk}/change/"
    page = root_client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    root_client.post(url, {"status": "done", "evidence_note": "از مدیریت"})
    occ.refresh_from_db()
    assert occ.status == "open"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # session, user, the object (with what its label shows), the badge, the inline rows
        ("commitment", 5),
        ("commitmentoccurrence", 5),
    ],
)
def test_change_pages_do_not_grow_with_inline_rows(
    root_client: Client,
    agreement: Any,
    party_b: Any,
    path: str,
    expected: int,
) -> None:
    def url(commitment: Commitment) -> str:
        pk = commitment.pk if path == "commitment" else commitment.occurrences.first().pk
        return f"/admin/commitments/{path}/{pk}/change/"

    root_client.get(url(_with_occurrences(agreement, party_b, 1)))
    counts = []
    for rows in (2, 6):
        page = url(_with_occurrences(agreement, party_b, rows))
        with CaptureQueriesContext(connection) as queries:
            assert root_client.get(page).status_code == 200
        counts.append(len(queries))
    assert counts == [expected, expected], [q["sql"][:90] for q in queries.captured_queries]
