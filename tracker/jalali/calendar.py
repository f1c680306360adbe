"""The Jalali calendar itself: names, conversion to and from Gregorian, month bounds.

Pure Python (``jdatetime`` and the standard library): no Django import here, nor in
:mod:`.formatting` and :mod:`.parsing`, so a domain module that formats a date does not load
forms, the admin or DRF (import-linter's "Jalali core" contract keeps it so). Conversions
are done by ``jdatetime``; the tests check it against ``persiantools`` for every day of
1300–1500.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date, datetime
from typing import Final

import jdatetime

from tracker.persian import to_persian_digits

TEHRAN: Final = zoneinfo.ZoneInfo("Asia/Tehran")

MONTH_NAMES: tuple[str, ...] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

#: Index 0 is Saturday, the first day of the Iranian week. Spelling follows the Academy of
#: Persian Language (سه‌شنبه with a ZWNJ, یکشنبه and پنجشنبه joined).
WEEKDAY_NAMES: tuple[str, ...] = (
    "شنبه",
    "یکشنبه",
    "دوشنبه",
    "سه‌شنبه",
    "چهارشنبه",
    "پنجشنبه",
    "جمعه",
)

#: Numeric years above this are Gregorian (ISO input from APIs); Jalali 1700 is Gregorian 2321.
GREGORIAN_YEAR_THRESHOLD: Final = 1700


class JalaliDateError(ValueError):
    """A date or time that cannot be parsed or does not exist; ``message`` is Persian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fa_number(value: int | str, width: int = 0) -> str:
    """An integer in Persian digits, zero-padded to ``width``."""
    return to_persian_digits(str(value).zfill(width))


def weekday_name(d: date) -> str:
    """The Persian name of the weekday of ``d``."""
    # Python's Monday=0 becomes Saturday=0.
    return WEEKDAY_NAMES[(d.weekday() + 2) % 7]


def is_leap_year(jyear: int) -> bool:
    """Whether Esfand of ``jyear`` has 30 days."""
    return bool(jdatetime.date(jyear, 1, 1).isleap())


def days_in_month(jyear: int, jmonth: int) -> int:
    """Number of days in a Jalali month: 31 for the first six, 30 for the next five, 29/30."""
    _check_month(jyear, jmonth)
    if jmonth <= 6:
        return 31
    if jmonth <= 11:
        return 30
    return 30 if is_leap_year(jyear) else 29


def _check_month(jyear: int, jmonth: int, jday: int | None = None) -> None:
    if not 1 <= jyear < GREGORIAN_YEAR_THRESHOLD:
        raise JalaliDateError(
            f"سال {fa_number(jyear)} پشتیبانی نمی‌شود: سال باید بین ۱ و ۱۶۹۹ باشد."
        )
    if not 1 <= jmonth <= 12:
        subject = (
            f"تاریخ {fa_number(jyear)}/{fa_number(jmonth, 2)}/{fa_number(jday, 2)}"
            if jday is not None
            else f"ماه {fa_number(jmonth)}"
        )
        raise JalaliDateError(f"{subject} وجود ندارد: ماه باید بین ۱ و ۱۲ باشد.")


@functools.lru_cache(maxsize=8192)
def jalali_to_gregorian(jyear: int, jmonth: int, jday: int) -> date:
    """The Gregorian date of a Jalali date; :class:`JalaliDateError` names what is wrong."""
    _check_month(jyear, jmonth, jday)
    last = days_in_month(jyear, jmonth)
    if not 1 <= jday <= last:
        label = f"تاریخ {fa_number(jyear)}/{fa_number(jmonth, 2)}/{fa_number(jday, 2)} وجود ندارد"
        month = f"{MONTH_NAMES[jmonth - 1]} {fa_number(jyear)}"
        if jday > last:
            raise JalaliDateError(f"{label}: {month} {fa_number(last)} روز دارد.")
        raise JalaliDateError(f"{label}: روز باید بین ۱ و {fa_number(last)} باشد.")
    return jdatetime.date(jyear, jmonth, jday).togregorian()


def to_tehran(value: datetime) -> datetime:
    """An aware datetime converted to Asia/Tehran; a naive one is refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("A naive datetime has no place in the Jalali helpers; make it aware.")
    return value.astimezone(TEHRAN)


def to_jalali_date(d: date | datetime) -> jdatetime.date:
    """The Jalali date of ``d``; an aware datetime is first converted to Tehran time."""
    if isinstance(d, datetime):
        d = to_tehran(d).date()
    return _jalali_of_day(d)


# Pure functions of a calendar day, cached: building a jdatetime date checks the process
# locale every time (about 17 µs), and a dashboard answer converts the same few hundred days
# over and over. Dates and jdatetime dates are immutable.
@functools.lru_cache(maxsize=8192)
def _jalali_of_day(d: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=d)


@functools.lru_cache(maxsize=4096)
def month_bounds(jyear: int, jmonth: int) -> tuple[date, date]:
    """First and last Gregorian date of a Jalali month (both inclusive)."""
    return (
        jalali_to_gregorian(jyear, jmonth, 1),
        jalali_to_gregorian(jyear, jmonth, days_in_month(jyear, jmonth)),
    )


def fiscal_year_bounds(jyear: int) -> tuple[date, date]:
    """First and last Gregorian date of the Iranian fiscal year ``jyear`` (1 Farvardin on)."""
    return month_bounds(jyear, 1)[0], month_bounds(jyear, 12)[1]


def quarter_of(jmonth: int) -> int:
    """The quarter (1–4) of a Jalali month: Farvardin–Khordad is the first."""
    if not 1 <= jmonth <= 12:
        raise JalaliDateError(f"ماه {fa_number(jmonth)} وجود ندارد: ماه باید بین ۱ و ۱۲ باشد.")
    return (jmonth - 1) // 3 + 1
