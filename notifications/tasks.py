"""Celery tasks: thin ways into the services; they take ids and are safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import current_app, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import services

#: Base of the exponential backoff (seconds): 10, 20, 40, 80, 160 with full jitter.
RETRY_BACKOFF: int = getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 10)
#: Attempts after the first; then the delivery is marked failed for the admin.
MAX_RETRIES: int = getattr(settings, "NOTIFICATIONS_MAX_RETRIES", 5)
#: Retry countdowns stay below the broker's visibility timeout (300 s): Redis would hand an
#: unacknowledged message with a longer ETA to a second worker.
RETRY_BACKOFF_MAX = 240


@shared_task(name="notifications.tasks.sweep_due_reminders", acks_late=True, ignore_result=True)
def sweep_due_reminders() -> dict[str, int]:
    """Beat, every minute: due reminders → deliveries → send tasks of up to 50 messages."""
    result = services.reminders_sweep()
    return {
        "dispatched": result.dispatched,
        "held": result.held,
        "stale": result.stale,
        "expired": result.expired,
        "deliveries": result.deliveries,
        "reenqueued": result.reenqueued,
    }


def _send_chunk(task: Any, messages: list[list[int]], *, one_message: bool = False) -> int:
    """Send a chunk; retry only its messages that failed transiently, with backoff + jitter.

    The retry is a new message carrying just those (still pending) deliveries: the others
    are committed as sent and are not tried again. Messages the chunk had no time for go to
    a fresh task (they were not attempted, so no retry is counted against them).
    """
    retries: int = task.request.retries
    final = retries >= (task.max_retries or 0)
    result = services.deliveries_send_chunk(messages=messages, final_attempt=final)
    if result.deferred:
        send_delivery_chunk.delay(result.deferred)
    if result.retry:
        countdown = get_exponential_backoff_interval(
            factor=RETRY_BACKOFF, retries=retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
        )
        # The single-message task takes the message itself (its ids), the chunk task a list.
        args: list[Any] = [result.retry[0]] if one_message else [result.retry]
        raise task.retry(args=args, countdown=countdown, exc=result.errors[-1])
    return result.sent


@shared_task(
    bind=True,
    name="notifications.tasks.send_delivery_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def send_delivery_chunk(self, messages: list[list[int]]) -> int:  # type: ignore[no-untyped-def]
    """Send up to ``services.CHUNK_SIZE`` messages (each: delivery ids sent as one message).

    Each message is claimed, sent and committed on its own, so running the task twice, or
    after a crash, sends nothing twice; see ``services.deliveries_send_chunk``.
    """
    return _send_chunk(self, messages)


@shared_task(
    bind=True,
    name="notifications.tasks.send_deliveries",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def send_deliveries(self, delivery_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """One message (a delivery or a digest batch): the chunk task's predecessor, kept so that
    messages already in the broker when this version is deployed are still handled."""
    return _send_chunk(self, [delivery_ids], one_message=True)


#: The agreements app's expiry task, named rather than imported: notifications sit below
#: agreements in the layers (design.md) and import nothing of theirs.
EXPIRE_DUE_TASK = "agreements.tasks.expire_due_agreements"


@shared_task(
    name="notifications.tasks.advance_time_driven_workflow", acks_late=True, ignore_result=True
)
def advance_time_driven_workflow() -> int:
    """Deprecated alias of ``agreements.tasks.expire_due_agreements``, kept registered for
    one release so that beat entries and messages queued under the old name still run;
    remove it in the release after the beat schedule moved."""
    count: int = current_app.tasks[EXPIRE_DUE_TASK]()
    return count
