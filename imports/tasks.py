"""The import job's task: takes the job's id, calls one service, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from .retention import import_files_sweep
from .services import RUN_TASK, import_job_fail, import_job_run

logger = logging.getLogger(__name__)


@shared_task(name=RUN_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_import(job_id: int) -> str:
    """Run an import job. Acked late: a worker lost mid-run leaves the message to another
    worker, which finds the job still queued (the run's transaction died with the worker);
    a redelivered message of a finished job does nothing (``import_job_run``)."""
    try:
        return import_job_run(job_id=job_id)
    except Exception:
        logger.exception("import job %s failed", job_id)
        import_job_fail(
            job_id=job_id,
            message="ورود این فایل با خطای پیش‌بینی‌نشده متوقف شد و چیزی ذخیره نشد؛ "
            "دوباره امتحان کنید یا با پشتیبانی تماس بگیرید.",
        )
        return "failed"


@shared_task(name="imports.tasks.sweep_import_files", ignore_result=True)
def sweep_import_files() -> dict[str, int]:
    """Hourly (beat): delete unconfirmed previews' and abandoned jobs' files."""
    return import_files_sweep()
