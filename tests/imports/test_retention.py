"""No uploaded file outlives its use: done and failed jobs delete theirs, a worker that died
mid-run leaves the job to the redelivery (or, never redelivered, to the sweep), and the
hourly sweep (clock injected) deletes unconfirmed previews' files and orphans, marks the jobs
expired, and does nothing the second time."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob
from imports.retention import NEVER_RAN, import_files_sweep
from imports.services import import_job_confirm, import_job_create, import_job_run
from imports.tasks import run_import, sweep_import_files
from organizations.models import Person
from tracker.exceptions import ApplicationError

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

DAY = timedelta(seconds=django_settings.IMPORT_PREVIEW_RETENTION)


def _upload(org: Any, *, bad: bool = False) -> SimpleUploadedFile:
    rows = [["نام و نام خانوادگی", "سمت", "سازمان"], ["مریم احمدی", "کارشناس", org.name]]
    if bad:
        rows.append(["رضا کریمی", "", "سازمانی که نیست"])
    return SimpleUploadedFile("people.csv", csv_bytes(rows), content_type="text/csv")


def _job(user: Any, org: Any, **kwargs: Any) -> ImportJob:
    bad = kwargs.pop("bad", False)
    return import_job_create(actor=user, kind="people", upload=_upload(org, bad=bad), **kwargs)


def _run(job: ImportJob, capture: Any) -> ImportJob:
    with capture(execute=True):
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def _age(job: ImportJob, by: timedelta) -> None:
    """Move the job's clock back (created and finished ``by`` ago)."""
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at - by,
        finished_at=job.finished_at - by if job.finished_at else None,
    )


def test_done_and_failed_jobs_delete_their_file(
    org_a: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for bad, status in ((False, "done"), (True, "failed")):
        job = _job(staff_a, org_a, bad=bad)
        name = job.file.name
        assert default_storage.exists(name)
        job = _run(job, django_capture_on_commit_callbacks)
        assert (job.status, job.file.name, job.expired_at) == (status, "", None)
        assert not default_storage.exists(name)


def test_a_job_that_failed_unexpectedly_deletes_its_file(
    org_a: Any, staff_a: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(staff_a, org_a)
    name = job.file.name

    def crash(**kwargs: Any) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr("imports.tasks.import_job_run", crash)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import.run(job.pk) == "failed"

    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    assert not default_storage.exists(name)


def test_a_worker_that_died_mid_run_leaves_the_file_to_the_redelivery_or_the_sweep(
    org_a: Any, staff_a: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A worker killed mid-run: its transaction dies with it (here: an exception that no
    handler catches, as SystemExit), so the job is still queued with its file."""
    redelivered, lost = _job(staff_a, org_a), _job(staff_a, org_a)

    def die(*args: Any, **kwargs: Any) -> None:
        raise SystemExit(137)

    with monkeypatch.context() as patch:
        patch.setattr("imports.services._finish", die)
        for job in (redelivered, lost):
            with pytest.raises(SystemExit):
                import_job_run(job_id=job.pk)
            job.refresh_from_db()
            assert (job.status, bool(job.file)) == ("queued", True)
    assert not Person.objects.exists()

    # The redelivered message runs it from the start and deletes the file.
    name = redelivered.file.name
    redelivered = _run(redelivered, django_capture_on_commit_callbacks)
    assert redelivered.status == "done"
    assert not default_storage.exists(name)

    # The other message was lost: the sweep, past the retention, fails and expires the job.
    name = lost.file.name
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_sweep(now=now + DAY / 2) == {"expired": 0, "orphans": 0}
        assert import_files_sweep(now=now + DAY + timedelta(minutes=1))["expired"] == 1
    lost.refresh_from_db()
    assert (lost.status, lost.file.name, lost.error_count) == ("failed", "", 1)
    assert lost.errors[0]["message"] == NEVER_RAN
    assert lost.expired_at == now + DAY + timedelta(minutes=1)
    assert not default_storage.exists(name)
    # Delivered at last, it is finished and does nothing.
    assert import_job_run(job_id=lost.pk) == "finished"


def test_an_unconfirmed_preview_expires_after_the_retention_and_the_sweep_is_idempotent(
    org_a: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = _run(
        _job(staff_a, org_a, dry_run=True, keep_file=True), django_capture_on_commit_callbacks
    )
    fresh = _run(
        _job(staff_a, org_a, dry_run=True, keep_file=True), django_capture_on_commit_callbacks
    )
    assert old.file
    assert fresh.file
    old_name, fresh_name = old.file.name, fresh.file.name
    _age(old, DAY + timedelta(hours=1))
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_sweep(now=now) == {"expired": 1, "orphans": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_sweep(now=now) == {"expired": 0, "orphans": 0}

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.file.name, old.expired_at) == ("done", "", now)
    assert not default_storage.exists(old_name)
    assert fresh.expired_at is None
    assert default_storage.exists(fresh_name)
    with pytest.raises(ApplicationError):
        import_job_confirm(actor=staff_a, job=old)
    # The fresh one is still confirmed; the real run takes its file (no longer the preview's).
    confirmed = import_job_confirm(actor=staff_a, job=fresh)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_sweep(now=now + 2 * DAY)["expired"] == 1  # the queued real run
    confirmed.refresh_from_db()
    assert confirmed.status == "failed"


def test_orphan_files_older_than_the_retention_are_deleted(org_a: Any, staff_a: Any) -> None:
    kept = _job(staff_a, org_a)  # queued, its file named by the job
    old = default_storage.save("imports/2026/01/lost.csv", ContentFile(b"x"))
    young = default_storage.save("imports/2026/01/young.csv", ContentFile(b"x"))
    past = (timezone.now() - DAY - timedelta(hours=1)).timestamp()
    for name in (old, kept.file.name):
        os.utime(default_storage.path(name), (past, past))

    assert import_files_sweep() == {"expired": 0, "orphans": 1}

    assert not default_storage.exists(old)
    assert default_storage.exists(young)
    assert default_storage.exists(kept.file.name)


def test_the_page_says_expired(
    org_a: Any, staff_a: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(
        _job(staff_a, org_a, dry_run=True, keep_file=True), django_capture_on_commit_callbacks
    )
    _age(job, 2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        import_files_sweep()
    client.force_login(staff_a)

    detail = client.get(job.get_absolute_url()).content.decode()
    history = client.get(reverse("imports:index")).content.decode()

    assert "(منقضی‌شده)" in detail
    assert "تأیید و ورود" not in detail
    assert "(منقضی‌شده)" in history


def test_the_sweep_is_scheduled_hourly_and_the_task_calls_it(monkeypatch: Any) -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["imports-file-sweep"]
    assert entry["task"] == sweep_import_files.name == "imports.tasks.sweep_import_files"
    monkeypatch.setattr("imports.tasks.import_files_sweep", lambda: {"expired": 2, "orphans": 0})
    assert sweep_import_files.run() == {"expired": 2, "orphans": 0}
