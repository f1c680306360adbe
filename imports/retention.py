"""The sweep of uploaded files: nothing an upload left stays on disk past its use.

Run hourly by beat (``imports.tasks.sweep_import_files``). With ``cutoff`` =
``now - IMPORT_PREVIEW_RETENTION``:

- a preview kept for its confirmation (``keep_file``) that finished before the cutoff and
  was never confirmed (confirming hands the file to the real run): its file is deleted;
- a finished job that still holds a file otherwise (its delete did not happen): deleted;
- a job still queued since before the cutoff, whose row no run holds (``SKIP LOCKED``: a
  running import keeps its row locked): no worker will run it any more (its message was
  lost with a worker); it fails with a Persian message and its file is deleted;
- a file under ``imports/`` of the storage that no job names, older than the cutoff (a
  process that died between the commit that let go of a file and the file's delete).

Each job is marked ``expired_at`` («منقضی‌شده» on the page) in its own transaction, and its
file is deleted once that commits. Running the sweep again finds nothing: idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .choices import FINISHED, ImportStatus
from .models import ImportJob

logger = logging.getLogger(__name__)

#: The folder of ``ImportJob.file`` (``upload_to="imports/%Y/%m/"``).
UPLOAD_DIR = "imports"
NEVER_RAN = (
    "این ورود تا پایان مهلت نگه‌داری اجرا نشد (پردازشگر پیش از اجرای آن متوقف شد) و فایلش "
    "حذف شد؛ چیزی ذخیره نشده است. فایل را دوباره بارگذاری کنید."
)


def _kept_preview() -> Q:
    return Q(dry_run=True, keep_file=True, error_count=0, status=ImportStatus.DONE)


def _waits_for_confirmation(job: ImportJob, cutoff: datetime) -> bool:
    return bool(
        job.dry_run
        and job.keep_file
        and not job.error_count
        and job.status == ImportStatus.DONE
        and job.finished_at
        and job.finished_at >= cutoff
    )


def _candidates(cutoff: datetime) -> list[int]:
    with_file = ImportJob.objects.exclude(file="")
    finished = Q(status__in=FINISHED) & ~(_kept_preview() & Q(finished_at__gte=cutoff))
    never_ran = Q(status=ImportStatus.QUEUED, created_at__lt=cutoff)
    return list(with_file.filter(finished | never_ran).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def _expire(pk: int, cutoff: datetime, now: datetime) -> bool:
    job = ImportJob.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
    if job is None or not job.file:
        return False  # a run holds it, or it changed meanwhile
    if job.status == ImportStatus.QUEUED:
        if job.created_at >= cutoff:
            return False
        job.status = ImportStatus.FAILED
        job.errors = [{"sheet": "", "row": 0, "column": "", "message": NEVER_RAN}]
        job.error_count = 1
        job.finished_at = now
    elif _waits_for_confirmation(job, cutoff):
        return False
    name, storage = job.file.name, job.file.storage
    job.file = ""  # type: ignore[assignment]
    job.expired_at = now
    job.save()
    transaction.on_commit(lambda: _delete(storage, name))
    return True


def _delete(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("import file %s could not be deleted", name, exc_info=True)


def _stored_files(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}")


def _orphans(cutoff: datetime) -> int:
    storage = default_storage
    deleted = 0
    for name in _stored_files(storage, UPLOAD_DIR):
        try:
            modified = storage.get_modified_time(name)
        except (FileNotFoundError, NotImplementedError):
            continue
        if modified >= cutoff or ImportJob.objects.filter(file=name).exists():
            continue
        _delete(storage, name)
        deleted += 1
    return deleted


def import_files_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the files no job needs any more (see the module docstring); the counts."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IMPORT_PREVIEW_RETENTION)
    expired = sum(1 for pk in _candidates(cutoff) if _expire(pk, cutoff, now))
    orphans = _orphans(cutoff)
    if expired or orphans:
        logger.info("import file sweep: %s jobs expired, %s orphan files deleted", expired, orphans)
    return {"expired": expired, "orphans": orphans}
