"""Reads of the operations status page: the last sweep, the queue, failed deliveries.

Site-wide on purpose: the page is for staff of the site (``is_staff``), who run the
processes for every organisation; it is not scoped to memberships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from notifications.choices import DeliveryStatus
from notifications.models import Delivery
from tracker import healthchecks

FAILED_SHOWN = 20


@dataclass(frozen=True)
class OperationsStatus:
    health: dict[str, str]
    details: dict[str, Any]
    last_sweep: dict[str, Any] | None
    failed_count: int
    failed_recent: list[Delivery]


def operations_status() -> OperationsStatus:
    """Two queries: the count of failed deliveries and the newest of them with their
    reminder and recipient (one join), whatever the number of rows."""
    report = healthchecks.run()
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    return OperationsStatus(
        health=report.parts,
        details=report.details,
        last_sweep=cache.get(healthchecks.LAST_SWEEP_KEY),
        failed_count=failed.count(),
        failed_recent=list(
            failed.select_related("reminder", "recipient").order_by("-updated_at", "-id")[
                :FAILED_SHOWN
            ]
        ),
    )
