"""Celery tasks of the dashboard: thin ways into :mod:`dashboard.summaries`."""

from __future__ import annotations

from celery import shared_task

from . import summaries

COMPACT_SUMMARIES_TASK = "dashboard.tasks.compact_summaries"


@shared_task(name=COMPACT_SUMMARIES_TASK, acks_late=True, ignore_result=True)
def compact_summaries() -> int:
    """Beat, hourly: drop the scopes unused for ``SCOPE_UNUSED_DAYS`` days, then fold the
    summary counts' delta rows (one per key; keys summing to 0 dropped); the rows folded.
    Safe to run twice or alongside writers: a second run does nothing."""
    summaries.drop_unused_scopes()
    return summaries.compact()
