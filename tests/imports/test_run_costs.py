"""What a run adds per row on top of the services: no savepoint of its own for a row that
calls one service (each service is already one), one around a row that calls several."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.services import import_job_create, import_job_run
from organizations.models import Person
from tracker.exceptions import ApplicationError

from .conftest import csv_bytes, run_import

pytestmark = pytest.mark.django_db


def _run_counting(user: Any, kind: str, content: bytes) -> tuple[int, int]:
    """(queries, savepoints) of running the job (not of creating it)."""
    job = import_job_create(
        actor=user, kind=kind, upload=SimpleUploadedFile("file.csv", content), dry_run=True
    )
    with CaptureQueriesContext(connection) as queries:
        assert import_job_run(job_id=job.pk) == "done"
    savepoints = sum(1 for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT"))
    return len(queries), savepoints


def _people(org: Any, n: int) -> bytes:
    rows = [["نام و نام خانوادگی", "سمت", "سازمان"]]
    return csv_bytes(rows + [[f"شخص {i}", "کارشناس", org.name] for i in range(n)])


def test_a_row_costs_its_service_and_no_savepoint_of_its_own(org_a: Any, staff_a: Any) -> None:
    few_queries, few_savepoints = _run_counting(staff_a, "people", _people(org_a, 3))
    many_queries, many_savepoints = _run_counting(staff_a, "people", _people(org_a, 9))

    # Two savepoints a row: person_create's own and the one around its insert (the unique
    # name index may refuse it; the name of the person who won is read after that), plus
    # the run's one around all rows. None of the run's own per row.
    assert many_savepoints - few_savepoints == 12
    # Each row: the person_create's queries (savepoint, role check, name check, savepoint,
    # insert, release, release) and the import's match of the name: constant per row.
    per_row = (many_queries - few_queries) / 6
    assert per_row == int(per_row)
    assert per_row <= 10
    assert not Person.objects.exists()  # dry runs


def test_a_row_whose_second_service_fails_leaves_nothing_for_the_next_rows(
    org_a: Any, staff_a: Any, monkeypatch: Any
) -> None:
    """An agreement created with a status takes two services; the transition failing undoes
    the create too, so the next row of the same number creates it instead of finding it."""

    def refuse(**kwargs: Any) -> Any:
        raise ApplicationError("گذار پذیرفته نیست.", field="status")

    monkeypatch.setattr("imports.kinds.agreements.services.agreement_transition", refuse)
    content = csv_bytes(
        [
            ["شماره", "عنوان", "سازمان مالک", "وضعیت (کد)"],
            ["ت/۱", "همکاری", org_a.name, "internal_review"],
            ["ت/۱", "همکاری", org_a.name, ""],
        ]
    )

    job = run_import(staff_a, "agreements", content, dry_run=True)

    assert [(e["row"], e["message"]) for e in job.errors] == [(2, "گذار پذیرفته نیست.")]
    assert (job.created_count, job.unchanged_count) == (1, 0)
