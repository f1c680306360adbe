"""The reminders of a due date, shared by every planner of things with one (action items,
commitment occurrences): before it and on the day (offsets in days from the ``*_due``
rule), a daily overdue reminder from the day after (the ``*_overdue`` rule, batched per
recipient by the sweep), and after ``escalate_after_days`` one escalation to the managers.

Every reminder is anchored at the end of the due date (Asia/Tehran), so moving the due date
replaces them all. The caller says who is told and what the messages say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.text import to_persian_digits as fa

from .rules import Planned, RuleConfig, daily_slots, end_of_day, per_offset, tehran_at

#: A message: (title, body).
Text = tuple[str, str]


@dataclass(frozen=True)
class DueDateTexts:
    """What the reminders say. ``due(when)`` gets «امروز» or «۳ روز دیگر»; ``overdue(late)``
    the whole days past the due date; ``escalation(days)`` the rule's days."""

    due: Callable[[str], Text]
    overdue: Callable[[int], Text]
    escalation: Callable[[int], Text]


def due_date_reminders(
    *,
    due_date: date,
    due_rule: RuleConfig,
    overdue_rule: RuleConfig,
    owners: Sequence[int],
    managers: Callable[[], Iterable[int]],
    texts: DueDateTexts,
    url: str,
    now: datetime,
) -> list[Planned]:
    """Every reminder of one due date now: ``owners`` before, on and after it,
    ``managers()`` (asked only when the escalation is on) once after the escalation days."""
    anchor = end_of_day(due_date)

    def reminder(
        rule: RuleConfig, kind: str, user_id: int, day: date, text: Text, **extra: Any
    ) -> Planned:
        title, body = text
        return Planned(
            rule=rule.code,
            kind=kind,
            recipient_id=user_id,
            due_at=tehran_at(day, rule.send_hour),
            anchor_at=anchor,
            title=title,
            body=body,
            url=url,
            **extra,
        )

    def due(days: int, user_id: int) -> Planned:
        when = "امروز" if days == 0 else f"{fa(days)} روز دیگر"
        day = due_date - timedelta(days=days)
        text = texts.due(when)
        return reminder(due_rule, f"due:{days}d", user_id, day, text, expires_at=anchor)

    def overdue(day: date, user_id: int) -> Planned:
        text = texts.overdue((day - due_date).days)
        return reminder(overdue_rule, f"overdue:{day.isoformat()}", user_id, day, text)

    planned: list[Planned] = []
    if due_rule.is_active:
        planned += per_offset(due_rule.offsets, owners, due)
    if not overdue_rule.is_active:
        return planned
    first = due_date + timedelta(days=1)
    planned += per_offset(daily_slots(first, overdue_rule.send_hour, now=now), owners, overdue)
    days = overdue_rule.escalate_after_days
    if days:
        day, text = due_date + timedelta(days=days), texts.escalation(days)
        kind = f"escalation:{days}d"
        planned += [
            reminder(overdue_rule, kind, user_id, day, text, digestible=False)
            for user_id in managers()
        ]
    return planned
