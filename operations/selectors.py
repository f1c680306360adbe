"""Reads of the operations status page: the last sweep, the queue, failed deliveries.

Site-wide on purpose: the page is for staff of the site (``is_staff``), who run the
processes for every organisation; it is not scoped to memberships.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils.dateparse import parse_datetime

from notifications.choices import DeliveryStatus
from notifications.models import Delivery
from tracker import healthchecks

FAILED_SHOWN = 20

#: Persian names of the parts /healthz checks, of their states and of the sweep's counts.
PART_LABELS = {
    "database": "پایگاه داده",
    "broker": "صف پیام",
    "beat": "زمان‌بند کارهای دوره‌ای",
    "workers": "کارگرهای پس‌زمینه",
}
STATE_LABELS = {
    "ok": "سالم",
    "starting": "در حال راه‌اندازی",
    "down": "از کار افتاده",
    "stale": "خاموش: ضربان تازه‌ای نفرستاده است",
    "none": "هیچ کارگری پاسخ نمی‌دهد",
    "unknown": "نامعلوم (حافظه نهان پاسخ نمی‌دهد)",
}
SWEEP_STATE_LABELS = {"SUCCESS": "موفق", "FAILURE": "ناموفق", "RETRY": "تلاش دوباره"}
SWEEP_COUNT_LABELS = {
    "dispatched": "فرستاده به صف ارسال",
    "held": "نگه‌داشته (ساعت آرام)",
    "stale": "کهنه (دیگر لازم نیست)",
    "expired": "منقضی",
    "deliveries": "تحویل‌ها",
    "reenqueued": "دوباره در صف",
}


@dataclass(frozen=True)
class HealthRow:
    label: str
    state: str
    state_label: str

    @property
    def healthy(self) -> bool:
        return self.state in healthchecks.HEALTHY


@dataclass(frozen=True)
class OperationsStatus:
    health: dict[str, str]
    details: dict[str, Any]
    last_sweep: dict[str, Any] | None
    failed_count: int
    failed_recent: list[Delivery]
    # Ready for the page: Persian labels, aware datetimes (shown in Jalali, Tehran time).
    health_rows: list[HealthRow] = field(default_factory=list)
    beat_last_run: datetime | None = None
    beat_started: datetime | None = None
    last_sweep_at: datetime | None = None
    last_sweep_state: str = ""
    last_sweep_counts: list[tuple[str, Any]] = field(default_factory=list)


def _when(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def operations_status() -> OperationsStatus:
    """Two queries: the count of failed deliveries and the newest of them with their
    reminder and recipient (one join), whatever the number of rows."""
    report = healthchecks.run()
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    sweep = cache.get(healthchecks.LAST_SWEEP_KEY)
    sweep = sweep if isinstance(sweep, dict) else None
    counts = (sweep or {}).get("result") or {}
    return OperationsStatus(
        health=report.parts,
        details=report.details,
        last_sweep=sweep,
        health_rows=[
            HealthRow(PART_LABELS.get(part, part), state, STATE_LABELS.get(state, state))
            for part, state in report.parts.items()
        ],
        beat_last_run=_when(report.details.get("beat_last_run")),
        beat_started=_when(report.details.get("beat_started")),
        last_sweep_at=_when((sweep or {}).get("at")),
        last_sweep_state=SWEEP_STATE_LABELS.get(
            str((sweep or {}).get("state")), str((sweep or {}).get("state") or "")
        ),
        last_sweep_counts=[
            (SWEEP_COUNT_LABELS.get(key, key), value) for key, value in counts.items()
        ],
        failed_count=failed.count(),
        failed_recent=list(
            failed.select_related("reminder", "recipient").order_by("-updated_at", "-id")[
                :FAILED_SHOWN
            ]
        ),
    )
