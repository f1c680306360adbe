"""The job: the API (202 and the job's URL, polling, scoping), the run's idempotence under
redelivery, the file deleted after the run, the history's query count, the page."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from imports.models import ImportJob
from imports.services import import_job_create, import_job_run
from organizations.models import Person
from tests.factories import PersonFactory

from .conftest import csv_bytes, run_import

pytestmark = pytest.mark.django_db

HEADER = ["نام و نام خانوادگی", "سمت", "سازمان"]


def _file(org: Any, n: int = 2, name: str = "people.csv") -> SimpleUploadedFile:
    rows = [HEADER, *[[f"شخص {i}", "کارشناس", org.name] for i in range(n)]]
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def test_post_answers_202_with_the_job_url_and_get_reports_it(
    org_a: Any,
    staff_a: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(
        "imports.services.current_app.send_task", lambda name, args: sent.append((name, args))
    )
    client = client_for(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/", {"file": _file(org_a), "kind": "people"}, format="multipart"
        )

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["progress"] == {"done": 0, "total": 2, "percent": 0}
    assert response["Location"].endswith(f"/api/v1/imports/{body['id']}/")
    assert sent == [("imports.tasks.run_import", [body["id"]])]

    import_job_run(job_id=body["id"])
    job = client.get(body["url"]).json()
    assert job["status"] == "done"
    assert job["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert job["errors"] == []
    assert job["progress"]["percent"] == 100


def test_api_dry_run_writes_nothing_and_reports_what_would_happen(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    body = client.post(
        "/api/v1/imports/",
        {"file": _file(org_a, 3), "kind": "people", "dry_run": "true"},
        format="multipart",
    ).json()

    import_job_run(job_id=body["id"])

    job = client.get(body["url"]).json()
    assert job["dry_run"] is True
    assert job["counts"]["created"] == 3
    assert not Person.objects.exists()


def test_errors_have_row_column_and_a_persian_message(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    content = csv_bytes([HEADER, ["شخص", "", "ناشناس"]])
    body = client.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", content), "kind": "people"},
        format="multipart",
    ).json()
    import_job_run(job_id=body["id"])

    job = client.get(body["url"]).json()

    assert job["status"] == "failed"
    assert job["errors"] == [
        {
            "sheet": "p.csv",
            "row": 2,
            "column": "سازمان",
            "message": "سازمانی به نام «ناشناس» در فهرست سازمان‌ها پیدا نشد.",
        }
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "people"}, "file"),
        ({"kind": "spaceships", "file": "x"}, "kind"),
        ({"kind": "people", "file": ("a.pdf", b"%PDF-1.4")}, "file"),
        ({"kind": "people", "file": ("a.xlsx", b"PK\x03\x04broken")}, "file"),
        ({"kind": "people", "file": ("a.csv", "نام\n".encode())}, "file"),
    ],
)
def test_bad_uploads_are_a_persian_400(
    staff_a: Any, client_for: Any, data: dict[str, Any], field: str
) -> None:
    if isinstance(data.get("file"), tuple):
        name, content = data["file"]
        data = {**data, "file": SimpleUploadedFile(name, content)}
    elif data.get("file") == "x":
        data = {**data, "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")}

    response = client_for(staff_a).post("/api/v1/imports/", data, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert all("\u0600" <= ch <= "\u06ff" for ch in response.json()[field][0][:3] if ch.isalpha())
    assert not ImportJob.objects.exists()


def test_too_many_rows_is_a_400(settings: Any, org_a: Any, staff_a: Any, client_for: Any) -> None:
    settings.IMPORT_MAX_ROWS = 1
    response = client_for(staff_a).post(
        "/api/v1/imports/", {"file": _file(org_a, 2), "kind": "people"}, format="multipart"
    )
    assert response.status_code == 400
    assert "ردیف" in str(response.json())


def test_another_users_job_is_404(org_a: Any, staff_a: Any, client_for: Any, client: Any) -> None:
    from tests.factories import member

    job = import_job_create(actor=staff_a, kind="people", upload=_file(org_a))
    other = member(org_a)

    assert client_for(other).get(f"/api/v1/imports/{job.pk}/").status_code == 404
    assert client_for(other).post(f"/api/v1/imports/{job.pk}/confirm/").status_code == 404
    assert client_for(other).get("/api/v1/imports/").json()["results"] == []
    client.force_login(other)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404


def test_redelivered_job_does_not_import_twice(org_a: Any, staff_a: Any) -> None:
    job = import_job_create(actor=staff_a, kind="people", upload=_file(org_a, 2))

    assert import_job_run(job_id=job.pk) == "done"
    assert import_job_run(job_id=job.pk) == "finished"

    assert Person.objects.count() == 2
    job.refresh_from_db()
    assert job.created_count == 2


@pytest.mark.django_db(transaction=True)
def test_a_delivery_running_concurrently_leaves_the_job_to_the_first(
    org_a: Any, staff_a: Any
) -> None:
    """While one worker holds the job (its row locked), a second delivery gives up at once."""
    job = import_job_create(actor=staff_a, kind="people", upload=_file(org_a, 2))
    holding, release = threading.Event(), threading.Event()

    def first_worker() -> None:
        from django.db import transaction

        with transaction.atomic():
            ImportJob.objects.select_for_update().get(pk=job.pk)
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    holding.wait(10)
    try:
        assert import_job_run(job_id=job.pk) == "busy"
    finally:
        release.set()
        thread.join()
    assert not Person.objects.exists()
    assert import_job_run(job_id=job.pk) == "done"
    assert Person.objects.count() == 2


def test_file_is_deleted_after_the_job(
    org_a: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = import_job_create(actor=staff_a, kind="people", upload=_file(org_a))
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.file.name == ""
    assert not storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_confirm_flow_through_the_page(
    org_a: Any, staff_a: Any, client: Any, monkeypatch: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media-tx")
    monkeypatch.setattr("imports.services.current_app.send_task", lambda name, args: None)
    client.force_login(staff_a)

    response = client.post(reverse("imports:index"), {"kind": "people", "file": _file(org_a, 2)})
    assert response.status_code == 302
    preview = ImportJob.objects.get()
    assert preview.dry_run
    assert preview.keep_file
    import_job_run(job_id=preview.pk)
    preview.refresh_from_db()
    kept = preview.file.name
    assert kept
    assert preview.file.storage.exists(kept)

    page = client.get(preview.get_absolute_url())
    assert "تأیید و ورود" in page.content.decode()
    confirmed = client.post(reverse("imports:confirm", args=[preview.pk]))
    real = ImportJob.objects.get(confirms=preview)
    assert confirmed.url == real.get_absolute_url()
    assert import_job_run(job_id=real.pk) == "done"

    real.refresh_from_db()
    assert Person.objects.count() == 2
    assert real.file.name == ""
    assert not preview.file.storage.exists(kept)
    again = client.post(reverse("imports:confirm", args=[preview.pk]))
    assert again.status_code == 302
    assert ImportJob.objects.count() == 2
    # The preview's page says it was confirmed and links the real run (a tester could not
    # tell a confirmed preview from one never confirmed).
    page = client.get(preview.get_absolute_url()).content.decode()
    assert "این پیش‌نمایش تأیید شد" in page
    assert real.get_absolute_url() in page
    assert "تأیید و ورود</button>" not in page


def test_page_form_error_keeps_the_kind(staff_a: Any, client: Any) -> None:
    client.force_login(staff_a)
    response = client.post(
        reverse("imports:index"),
        {"kind": "meetings", "file": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "فایل باید Excel (xlsx) یا CSV باشد." in html
    assert '<option value="meetings" selected>' in html


def test_preview_page_highlights_error_cells(org_a: Any, staff_a: Any, client: Any) -> None:
    PersonFactory(organization=org_a)
    job = run_import(staff_a, "people", csv_bytes([HEADER, ["شخص", "", "ناشناس"]]), dry_run=True)
    client.force_login(staff_a)

    html = client.get(job.get_absolute_url()).content.decode()

    assert 'class="cell-error" title="سازمانی به نام «ناشناس»' in html
    assert "تأیید و ورود" not in html


@pytest.mark.parametrize(
    "kind", ["organizations", "people", "meetings", "action-items", "agreements"]
)
def test_templates_are_empty_exports(kind: str, staff_a: Any, client: Any) -> None:
    client.force_login(staff_a)
    response = client.get(reverse("imports:template", args=[kind, "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 1
    assert body.startswith("شناسه,")


def test_history_list_query_count_does_not_grow(
    org_a: Any, staff_a: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(staff_a)
    for _ in range(3):
        import_job_create(actor=staff_a, kind="people", upload=_file(org_a))
    # Session auth is forced: 1 count + 1 page of jobs (progress from the cache, no query).
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/imports/").json()["results"]) == 3
    for _ in range(5):
        import_job_create(actor=staff_a, kind="people", upload=_file(org_a))
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/imports/").json()["results"]) == 8


def test_an_unexpected_error_fails_the_job_and_saves_nothing(
    org_a: Any, staff_a: Any, monkeypatch: Any
) -> None:
    from imports.kinds import KINDS
    from imports.tasks import run_import as task

    job = import_job_create(actor=staff_a, kind="people", upload=_file(org_a, 2))
    calls: list[int] = []
    original = KINDS["people"].apply

    def explode(context: Any, row: Any) -> str:
        calls.append(row.number)
        if len(calls) == 2:
            raise RuntimeError("bug")
        return original(context, row)

    monkeypatch.setattr(KINDS["people"], "apply", explode)

    assert task(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == "failed"
    assert "پیش‌بینی‌نشده" in job.errors[0]["message"]
    assert not Person.objects.exists()
    assert task(job.pk) == "finished"
