"""Choices of the commitments app."""

from django.db import models


class OccurrenceStatus(models.TextChoices):
    OPEN = "open", "باز"
    DONE = "done", "انجام‌شده"
    LATE = "late", "معوق"
    WAIVED = "waived", "بخشوده"


class Recurrence(models.TextChoices):
    NONE = "none", "یک‌باره"
    MONTHLY = "monthly", "ماهانه"
    QUARTERLY = "quarterly", "سه‌ماهه"
    YEARLY = "yearly", "سالانه"


#: Jalali months between two occurrences of each recurrence.
RECURRENCE_MONTHS: dict[str, int] = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.YEARLY: 12,
}

#: An occurrence in these states still waits for its party (reminders, «awaiting you»).
UNFULFILLED: frozenset[str] = frozenset({OccurrenceStatus.OPEN, OccurrenceStatus.LATE})
#: Closed occurrences: the schedule never moves or deletes them.
CLOSED: frozenset[str] = frozenset({OccurrenceStatus.DONE, OccurrenceStatus.WAIVED})
