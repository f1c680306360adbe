"""Writes of imports: create a job from an upload, confirm a preview, run a job.

A run is one transaction: the job row is locked (``NOWAIT``: a second delivery of the same
message finds it locked and leaves), every row is applied through the services the forms
use, each service in its own savepoint (a row that calls several takes one savepoint around
them, ``Kind.one_step``) so that a failing row leaves nothing and the next rows are still
checked, and the job's report is saved in the same transaction. With any error (or in a dry
run) the rows' savepoint is rolled back as a whole, so nothing of the file is saved, and the
job is marked done or failed. A worker that dies mid-run rolls everything back with its
connection; the job is still queued and the redelivered message (acks late) runs it again
from the start. A finished job is never run again. Progress is kept in the cache
(the transaction is not visible until it commits).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from tracker.exceptions import ApplicationError

from .choices import FINISHED, ImportKind, ImportStatus
from .kinds import CREATED, KINDS, ORDER, UNCHANGED, UPDATED, Context, Kind, RowError, read_row
from .models import ImportJob
from .reading import ImportFileError, Sheet, count_rows, read_sheets

logger = logging.getLogger(__name__)

RUN_TASK = "imports.tasks.run_import"
#: Rows between two progress writes to the cache.
PROGRESS_EVERY = 100
PROGRESS_TTL = 24 * 3600
SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


def progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def _fa(n: int) -> str:
    from tracker.persian import to_persian_digits

    return to_persian_digits(f"{n:,}".replace(",", "٬"))


# --- Upload -----------------------------------------------------------------------------------


def _check_upload(upload: UploadedFile) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"file": f"فایل بزرگ‌تر از حد مجاز است (حداکثر {_fa(limit // 1024)} کیلوبایت)."}
        )
    if not upload.size:
        raise ValidationError({"file": "فایل خالی است."})
    name = (upload.name or "").lower()
    if not name.endswith(SUFFIXES):
        raise ValidationError({"file": "فایل باید Excel (xlsx) یا CSV باشد."})


@transaction.atomic
def import_job_create(
    *,
    actor: Any,
    kind: str,
    upload: UploadedFile,
    dry_run: bool = False,
    keep_file: bool = False,
) -> ImportJob:
    """Check the upload (size, type, readable, row count) and queue its job."""
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError("برای ورود اطلاعات باید وارد سامانه شوید.", status=403)
    if kind not in ImportKind.values:
        raise ValidationError({"kind": "نوع اطلاعات پذیرفته نیست."})
    _check_upload(upload)
    limit = settings.IMPORT_MAX_ROWS
    handle: Any = upload.file
    try:
        total, _ = count_rows(handle, upload.name or "", limit=limit)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if kind == ImportKind.WORKBOOK and upload.name and not upload.name.lower().endswith(".xlsx"):
        raise ValidationError({"file": "کارپوشه چندبرگی فقط فایل Excel (xlsx) است."})
    if total > limit:
        raise ValidationError(
            {"file": f"فایل بیش از {_fa(limit)} ردیف دارد؛ آن را در چند فایل وارد کنید."}
        )
    if total == 0:
        raise ValidationError({"file": "فایل هیچ ردیف داده‌ای ندارد (فقط سطر عنوان یا خالی)."})
    job = ImportJob(
        user=actor,
        kind=kind,
        dry_run=dry_run,
        keep_file=keep_file and dry_run,
        original_name=(upload.name or "")[:255],
        total_rows=total,
    )
    handle.seek(0)
    job.file.save(upload.name or "import", upload, save=False)
    job.save()
    transaction.on_commit(lambda: current_app.send_task(RUN_TASK, args=[job.pk]))
    return job


@transaction.atomic
def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Import for real the file a preview (dry run from the page) read without errors."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.user_id != actor.pk:
        raise ApplicationError("این پیش‌نمایش از شما نیست.", status=404)
    if not locked.dry_run or locked.status != ImportStatus.DONE:
        raise ApplicationError("فقط پیش‌نمایشِ پایان‌یافته تأیید می‌شود.", status=409)
    if locked.error_count:
        raise ApplicationError(
            "پیش‌نمایش خطا دارد؛ فایل را اصلاح و دوباره بارگذاری کنید.", status=409
        )
    if not locked.file or ImportJob.objects.filter(confirms=locked).exists():
        raise ApplicationError("این پیش‌نمایش پیش‌تر تأیید شده یا فایلش دیگر نیست.", status=409)
    confirmed = ImportJob.objects.create(
        user=actor,
        kind=locked.kind,
        dry_run=False,
        confirms=locked,
        file=locked.file.name,
        original_name=locked.original_name,
        total_rows=locked.total_rows,
    )
    # The file now belongs to the real run (deleted when it finishes).
    ImportJob.objects.filter(pk=locked.pk).update(file="")
    transaction.on_commit(lambda: current_app.send_task(RUN_TASK, args=[confirmed.pk]))
    return confirmed


# --- Run --------------------------------------------------------------------------------------


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    preview: dict[str, Any] = field(default_factory=lambda: {"sheets": [], "ignored": []})
    done: int = 0

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < settings.IMPORT_MAX_ERRORS:
            self.errors.append({"sheet": sheet, "row": row, "column": column, "message": message})


def _json_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int | float | bool | str):
        return value
    return str(value)


class _RollbackError(Exception):
    """Rolls the rows' savepoint back (a dry run, or a run with errors)."""


def _sheets_to_import(
    job: ImportJob, sheets: Iterator[Sheet], report: Report
) -> list[tuple[Kind, Sheet]]:
    """The sheets of the file and the kind each holds (a workbook: by sheet title)."""
    if job.kind != ImportKind.WORKBOOK:
        # One kind: the file's first sheet (an export has one).
        first = next(sheets, None)
        return [] if first is None else [(KINDS[job.kind], first)]
    return []


def _workbook_order(title: str) -> int:
    key = " ".join(title.split())
    for index, name in enumerate(ORDER):
        if key in KINDS[name].sheet_titles or key == name:
            return index
    return len(ORDER)


def _kind_of_sheet(title: str) -> Kind | None:
    index = _workbook_order(title)
    return KINDS[ORDER[index]] if index < len(ORDER) else None


def _run_sheet(job: ImportJob, context: Context, kind: Kind, sheet: Sheet, report: Report) -> None:
    layout, unknown = kind.layout(sheet.headers)
    for header in unknown:
        report.preview["ignored"].append({"sheet": sheet.title, "column": header})
    preview_rows: list[list[Any]] = []
    report.preview["sheets"].append(
        {"sheet": sheet.title, "kind": kind.name, "headers": sheet.headers, "rows": preview_rows}
    )
    if not layout:
        report.error(sheet.title, 1, "", "هیچ‌یک از ستون‌های این برگه شناخته نشد.")
        return
    for number, cells in sheet.rows:
        if len(preview_rows) < settings.IMPORT_PREVIEW_ROWS:
            preview_rows.append([number, *(_json_cell(c) for c in cells)])
        try:
            # No savepoint of the row: its services are each one (see Kind.one_step).
            outcome = kind.apply(context, read_row(number, cells, layout, context))
            report.counts[outcome] += 1
        except RowError as exc:
            for column, messages in exc.errors.items():
                for message in messages:
                    report.error(sheet.title, number, column, message)
        except IntegrityError:
            logger.warning("import job %s row %s: integrity error", job.pk, number, exc_info=True)
            report.error(sheet.title, number, "", "این ردیف با ردیفی که ثبت شده است تعارض دارد.")
        report.done += 1
        if report.done % PROGRESS_EVERY == 0:
            cache.set(
                progress_key(job.pk), {"done": report.done, "total": job.total_rows}, PROGRESS_TTL
            )


def _execute(job: ImportJob, handle: IO[bytes]) -> Report:
    report = Report()
    context = Context(actor=job.user)
    cache.set(progress_key(job.pk), {"done": 0, "total": job.total_rows}, PROGRESS_TTL)
    try:
        with transaction.atomic():
            if job.kind == ImportKind.WORKBOOK:
                for sheet in read_sheets(handle, job.original_name, order=_workbook_order):
                    kind = _kind_of_sheet(sheet.title)
                    if kind is None:
                        report.preview["ignored"].append({"sheet": sheet.title, "column": ""})
                        continue
                    _run_sheet(job, context, kind, sheet, report)
            else:
                for kind, sheet in _sheets_to_import(
                    job, read_sheets(handle, job.original_name), report
                ):
                    _run_sheet(job, context, kind, sheet, report)
            if job.dry_run or report.error_count:
                raise _RollbackError
    except _RollbackError:
        pass
    except ImportFileError as exc:
        report.error("", 0, "", str(exc))
    return report


def _finish(job: ImportJob, report: Report, now: datetime) -> None:
    job.created_count = report.counts[CREATED]
    job.updated_count = report.counts[UPDATED]
    job.unchanged_count = report.counts[UNCHANGED]
    job.errors = report.errors
    job.error_count = report.error_count
    job.preview = report.preview
    job.status = (
        ImportStatus.FAILED if report.error_count and not job.dry_run else ImportStatus.DONE
    )
    job.finished_at = now
    keep = job.dry_run and job.keep_file and not report.error_count
    if job.file and not keep:
        name, storage = job.file.name, job.file.storage
        job.file = ""  # type: ignore[assignment]
        transaction.on_commit(lambda: storage.delete(name))
    job.save()


def import_job_run(*, job_id: int, now: datetime | None = None) -> str:
    """Run a queued job once (see the module docstring); returns what happened."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update(nowait=True).filter(pk=job_id).first()
            if job is None:
                return "missing"
            if job.status in FINISHED:
                return "finished"
            job.started_at = now
            if not job.file:
                report = Report()
                report.error("", 0, "", "فایل این ورود دیگر در دسترس نیست.")
            else:
                with job.file.open("rb") as handle:
                    report = _execute(job, handle)
            _finish(job, report, timezone.now())
    except OperationalError as exc:
        if getattr(getattr(exc, "__cause__", None), "sqlstate", None) == "55P03":
            return "busy"  # another delivery of the same message holds the job
        raise
    cache.delete(progress_key(job_id))
    return str(job.status)


@transaction.atomic
def import_job_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed after an unexpected error (its rows were rolled back with it)."""
    cache.delete(progress_key(job_id))
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status in FINISHED:
        return
    job.status = ImportStatus.FAILED
    job.errors = [{"sheet": "", "row": 0, "column": "", "message": message}]
    job.error_count = 1
    job.finished_at = timezone.now()
    if job.file:
        name, storage = job.file.name, job.file.storage
        job.file = ""  # type: ignore[assignment]
        transaction.on_commit(lambda: storage.delete(name))
    job.save()
