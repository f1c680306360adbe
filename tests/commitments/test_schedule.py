"""Recurrences stepped in the Jalali calendar."""

from __future__ import annotations

from datetime import date

from commitments.choices import Recurrence
from commitments.schedule import MAX_OCCURRENCES, due_dates, too_many
from tracker.jalali import jalali_to_gregorian as g


def test_a_one_off_has_its_one_date() -> None:
    assert due_dates(first=g(1403, 1, 15), recurrence=Recurrence.NONE, until=g(1404, 1, 1)) == [
        g(1403, 1, 15)
    ]


def test_monthly_falls_on_the_same_jalali_day_and_clamps_to_short_months() -> None:
    dates = due_dates(first=g(1403, 6, 31), recurrence=Recurrence.MONTHLY, until=g(1403, 12, 30))
    # Shahrivar has 31 days, Mehr–Bahman 30, Esfand 1403 (a leap year) 30.
    assert dates == [
        g(1403, 6, 31),
        g(1403, 7, 30),
        g(1403, 8, 30),
        g(1403, 9, 30),
        g(1403, 10, 30),
        g(1403, 11, 30),
        g(1403, 12, 30),
    ]


def test_the_step_counts_from_the_first_date_not_the_clamped_one() -> None:
    dates = due_dates(first=g(1403, 6, 31), recurrence=Recurrence.MONTHLY, until=g(1404, 2, 31))
    assert dates[-2:] == [g(1404, 1, 31), g(1404, 2, 31)]


def test_quarterly_and_yearly() -> None:
    assert due_dates(
        first=g(1403, 1, 1), recurrence=Recurrence.QUARTERLY, until=g(1403, 12, 29)
    ) == [g(1403, 1, 1), g(1403, 4, 1), g(1403, 7, 1), g(1403, 10, 1)]
    assert due_dates(
        first=g(1400, 12, 29), recurrence=Recurrence.YEARLY, until=g(1403, 12, 30)
    ) == [
        g(1400, 12, 29),
        g(1401, 12, 29),
        g(1402, 12, 29),
        g(1403, 12, 29),
    ]


def test_a_schedule_past_the_limit_is_flagged() -> None:
    dates = due_dates(first=date(2000, 1, 1), recurrence=Recurrence.MONTHLY, until=date(2030, 1, 1))
    assert len(dates) == MAX_OCCURRENCES + 1
    assert too_many(dates)
