"""Celery tasks: thin ways into the services; they take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import services
from .channels import TransientDeliveryError

#: Base of the exponential backoff (seconds): 10, 20, 40, 80, 160 with full jitter.
RETRY_BACKOFF: int = getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 10)
#: Attempts after the first; then the delivery is marked failed for the admin.
MAX_RETRIES: int = getattr(settings, "NOTIFICATIONS_MAX_RETRIES", 5)
#: Retry countdowns stay below the broker's visibility timeout (300 s): Redis would hand an
#: unacknowledged message with a longer ETA to a second worker.
RETRY_BACKOFF_MAX = 240


@shared_task(name="notifications.tasks.sweep_due_reminders", acks_late=True, ignore_result=True)
def sweep_due_reminders() -> dict[str, int]:
    """Beat, every minute: due reminders → deliveries → one send task each."""
    result = services.reminders_sweep()
    return {
        "dispatched": result.dispatched,
        "held": result.held,
        "stale": result.stale,
        "expired": result.expired,
        "deliveries": result.deliveries,
        "reenqueued": result.reenqueued,
    }


@shared_task(
    bind=True,
    name="notifications.tasks.send_deliveries",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def send_deliveries(self, delivery_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Send one delivery (or one digest batch); a pending-state guard makes reruns no-ops."""
    final = self.request.retries >= (self.max_retries or 0)
    return services.deliveries_send(delivery_ids=delivery_ids, final_attempt=final)


@shared_task(
    name="notifications.tasks.advance_time_driven_workflow", acks_late=True, ignore_result=True
)
def advance_time_driven_workflow() -> int:
    """Beat, every 15 minutes: agreements in force past their expiry become expired."""
    return services.time_driven_workflow_advance()
