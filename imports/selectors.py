"""Reads of import jobs: a user sees only their own."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from .choices import ImportStatus
from .models import ImportJob
from .services import progress_key


def import_job_list_for_user(*, user: Any) -> QuerySet[ImportJob]:
    if not getattr(user, "is_authenticated", False):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user).defer("preview", "errors")


def import_job_get_for_user(*, user: Any, pk: int) -> ImportJob:
    if not getattr(user, "is_authenticated", False):
        raise ImportJob.DoesNotExist
    return ImportJob.objects.get(user=user, pk=pk)


def import_job_progress(job: ImportJob) -> dict[str, Any]:
    """Status and rows done: a queued job whose run has begun reports «running» and its
    progress from the cache (the run's transaction is not visible until it commits)."""
    status, done = job.status, 0
    if job.status == ImportStatus.QUEUED:
        progress = cache.get(progress_key(job.pk))
        if progress is not None:
            status, done = ImportStatus.RUNNING, int(progress.get("done", 0))
    elif job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        done = job.total_rows
    total = job.total_rows
    return {
        "status": str(status),
        "status_display": ImportStatus(status).label,
        "done": min(done, total),
        "total": total,
        "percent": round(100 * min(done, total) / total) if total else 100,
    }
