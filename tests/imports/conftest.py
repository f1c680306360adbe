"""Helpers of the import tests: export through the API, import through the service and the
task's function (run in the test's own transaction, so nothing needs a worker)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.models import ImportJob
from imports.services import import_job_create, import_job_run


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def exported(client: Any, kind: str, suffix: str = "csv") -> bytes:
    response = client.get(f"/api/v1/exports/{kind}.{suffix}")
    assert response.status_code == 200, response.content
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def run_import(
    user: Any, kind: str, content: bytes, name: str = "file.csv", *, dry_run: bool = False
) -> ImportJob:
    job = import_job_create(
        actor=user, kind=kind, upload=SimpleUploadedFile(name, content), dry_run=dry_run
    )
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def edit_csv(content: bytes, edit: Any) -> bytes:
    """Apply ``edit(rows)`` to an exported CSV (rows with the header first)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    edit(rows)
    return csv_bytes(rows)


def errors_of(job: ImportJob) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in job.errors]
