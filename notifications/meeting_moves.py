"""«زمان جلسه تغییر کرد»: the notice owed to whoever was already reminded of a meeting's
time when the meeting moves.

Part of the meeting's plan (``planners.MeetingPlanner``), so the sweep's checks hold: a
notice is wanted while the recipient was last told (by a reminder or an earlier notice
whose delivery was *sent*) of a time other than the current start. Its key holds the new
start (the anchor) and how many notices the recipient had before, so moving twice gives
two notices, moving back and forth never collides with an earlier one, and re-planning or
a redelivered task sends nothing again. Once the recipient has been sent it, the notice
stays in the plan (its other channels still go out). Recipients never reminded get none:
their reminders simply follow the new time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType

from tracker.jalali import format_datetime

from .choices import DeliveryStatus, RuleCode
from .models import Delivery
from .rules import Planned

#: Rules whose sent message told a recipient the meeting's time.
_TELLING = (RuleCode.MEETING_UPCOMING, RuleCode.MEETING_RESCHEDULED)


@dataclass
class _Told:
    """What one recipient was sent about the meeting."""

    #: The time the latest message sent to them gave.
    last_anchor: datetime | None = None
    #: The notices sent to them, and the kinds of those that gave the current start.
    notices: set[int] = field(default_factory=set)
    current: set[str] = field(default_factory=set)


def _told(target: Any, user_ids: Sequence[int]) -> dict[int, _Told]:
    """Per recipient, from their sent deliveries of this meeting (one query)."""
    rows = (
        Delivery.objects.filter(
            reminder__content_type=ContentType.objects.get_for_model(target),
            reminder__object_id=target.pk,
            reminder__rule__in=_TELLING,
            recipient_id__in=list(user_ids),
            status=DeliveryStatus.SENT,
        )
        .order_by("sent_at", "id")
        .values_list(
            "recipient_id",
            "reminder_id",
            "reminder__rule",
            "reminder__kind",
            "reminder__anchor_at",
        )
    )
    told: dict[int, _Told] = {}
    for user_id, reminder_id, rule, kind, anchor in rows:
        entry = told.setdefault(user_id, _Told())
        entry.last_anchor = anchor  # the rows come in the order they were sent
        if rule == RuleCode.MEETING_RESCHEDULED:
            entry.notices.add(reminder_id)
            if anchor == target.start:
                entry.current.add(kind)
    return told


def moved_notices(
    target: Any, *, user_ids: Sequence[int], url: str, now: datetime
) -> list[Planned]:
    """The «زمان جلسه تغییر کرد» notices ``target`` (a planned meeting) should have now."""
    if not user_ids:
        return []
    start: datetime = target.start
    new_text = format_datetime(start, "weekday")
    where = f"، محل: {target.location}" if target.location else ""
    planned: list[Planned] = []

    def notice(user_id: int, kind: str, old: datetime | None) -> Planned:
        was = f" از {format_datetime(old, 'weekday')}" if old is not None else ""
        return Planned(
            rule=RuleCode.MEETING_RESCHEDULED,
            kind=kind,
            recipient_id=user_id,
            due_at=now,
            anchor_at=start,
            expires_at=start,
            digestible=False,
            title=f"زمان جلسه تغییر کرد: {target.title}",
            body=f"زمان جلسه «{target.title}»{was} به {new_text} تغییر کرد{where}.",
            url=url,
        )

    for user_id, told in _told(target, user_ids).items():
        # Notices of the current start already sent (some channel): kept in the plan.
        planned += [notice(user_id, kind, None) for kind in sorted(told.current)]
        old = told.last_anchor
        if old is None or old == start:
            continue
        seq = len(told.notices) + 1
        planned.append(notice(user_id, f"moved:{seq}:{old.isoformat()}", old))
    return planned
