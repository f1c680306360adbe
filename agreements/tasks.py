"""Celery tasks of agreements: thin ways into the services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services

#: The registered name; the beat schedule and the old notifications alias use it.
EXPIRE_DUE_TASK = "agreements.tasks.expire_due_agreements"
IN_FORCE_DUE_TASK = "agreements.tasks.put_in_force_due_agreements"


@shared_task(name=EXPIRE_DUE_TASK, acks_late=True, ignore_result=True)
def expire_due_agreements() -> int:
    """Beat, every 15 minutes: agreements in force past their expiry become expired.

    ``agreements_expire_due`` owns the transition (actor «system», one history row each,
    idempotent). Overdue action items need no job: they are derived from the due date.
    """
    return services.agreements_expire_due()


@shared_task(name=IN_FORCE_DUE_TASK, acks_late=True, ignore_result=True)
def put_in_force_due_agreements() -> int:
    """Beat, every 15 minutes: signed agreements whose effective date has come are in force
    (``agreements_put_in_force_due``: actor «system», one history row each, idempotent)."""
    return services.agreements_put_in_force_due()
