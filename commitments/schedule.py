"""Due dates of a recurring commitment, stepped in the Jalali calendar.

A monthly commitment due on 1 Farvardin falls on the first of every Jalali month; one due
on the 31st falls on the last day of the shorter months (30 Mehr, 29 or 30 Esfand). The
step is counted from the first due date every time (never from the previous, clamped
occurrence), so a clamped month does not pull the following ones back.

Checked: ``dateutil.rrule`` and ``python-dateutil``'s relativedelta step Gregorian months,
and ``jdatetime`` has no month arithmetic; the stepping here is a few lines over
``tracker.jalali.calendar`` (which jdatetime backs).
"""

from __future__ import annotations

from datetime import date

from tracker.jalali import days_in_month, jalali_to_gregorian, to_jalali_date

from .choices import RECURRENCE_MONTHS, Recurrence

#: The most occurrences one commitment may have (ten years of a monthly one).
MAX_OCCURRENCES = 120


def _add_jalali_months(start: date, months: int) -> date:
    j = to_jalali_date(start)
    index = j.year * 12 + (j.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return jalali_to_gregorian(year, month, min(j.day, days_in_month(year, month)))


def due_dates(*, first: date, recurrence: str, until: date | None) -> list[date]:
    """The due dates from ``first``: one for a one-off, else every step up to ``until``.

    ``until`` is required for a recurrence (the caller passes the agreement's expiry when
    the commitment names none); at most :data:`MAX_OCCURRENCES` dates are returned, and
    :func:`too_many` tells the caller to refuse a longer schedule.
    """
    if recurrence == Recurrence.NONE or until is None:
        return [first]
    step = RECURRENCE_MONTHS[recurrence]
    dates: list[date] = []
    n = 0
    while len(dates) <= MAX_OCCURRENCES:
        day = _add_jalali_months(first, step * n)
        if day > until:
            break
        dates.append(day)
        n += 1
    return dates


def too_many(dates: list[date]) -> bool:
    return len(dates) > MAX_OCCURRENCES
