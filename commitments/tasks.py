"""Celery tasks of commitments: thin ways into the services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services

MARK_LATE_TASK = "commitments.tasks.mark_late_occurrences"
PLAN_UPCOMING_TASK = "commitments.tasks.plan_upcoming_occurrences"


@shared_task(name=MARK_LATE_TASK, acks_late=True, ignore_result=True)
def mark_late_occurrences() -> int:
    """Beat, every 15 minutes: open occurrences past their due date become late (actor
    «system», one history row each; a second run changes nothing)."""
    return services.occurrences_mark_late()


@shared_task(name=PLAN_UPCOMING_TASK, acks_late=True, ignore_result=True)
def plan_upcoming_occurrences() -> int:
    """Beat, daily: plan the reminders of occurrences that came within the horizon."""
    return services.occurrences_plan_upcoming()
