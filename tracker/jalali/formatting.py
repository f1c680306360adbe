"""Jalali dates and times as text: Persian digits for people, Latin ones for APIs.

Pure Python, like :mod:`.calendar`: no Django import.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final

import jdatetime

from .calendar import MONTH_NAMES, fa_number, to_jalali_date, to_tehran, weekday_name

DATE_STYLES: Final = ("numeric", "long", "weekday")


def _as_date(value: date | datetime | jdatetime.date) -> date:
    if isinstance(value, jdatetime.date):
        return value.togregorian()
    if isinstance(value, datetime):
        return to_tehran(value).date()
    return value


def format_date(value: date | datetime | jdatetime.date | None, style: str = "numeric") -> str:
    """A date in Jalali with Persian digits: «۱۳۹۹/۰۵/۱۱», «۱۱ مرداد ۱۳۹۹», «شنبه ۱۱ مرداد ۱۳۹۹».

    ``style`` is "numeric", "long" or "weekday"; ``None`` gives "".
    """
    if value is None:
        return ""
    if style not in DATE_STYLES:
        raise ValueError(f"Unknown Jalali date style {style!r}; use one of {DATE_STYLES}.")
    gregorian = _as_date(value)
    j = to_jalali_date(gregorian)
    if style == "numeric":
        return f"{fa_number(j.year)}/{fa_number(j.month, 2)}/{fa_number(j.day, 2)}"
    long = f"{fa_number(j.day)} {MONTH_NAMES[j.month - 1]} {fa_number(j.year)}"
    return f"{weekday_name(gregorian)} {long}" if style == "weekday" else long


def format_time(value: datetime | time | None) -> str:
    """«۱۰:۳۰»: hours and minutes in Persian digits, in Tehran time for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_tehran(value).time()
    return f"{fa_number(value.hour, 2)}:{fa_number(value.minute, 2)}"


def format_datetime(value: datetime | date | None, style: str = "numeric") -> str:
    """«۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰» in Tehran time; styles as in :func:`format_date`.

    A plain date is formatted as a date, so templates can pass either.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, style)
    return f"{format_date(value, style)} ساعت {format_time(value)}"


def jalali_string(value: date | datetime | None) -> str | None:
    """The Latin-digit twin for APIs: «1399/05/11», or «1399/05/11 10:30» (Tehran) for datetimes."""
    if value is None:
        return None
    j = to_jalali_date(value)
    text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    if isinstance(value, datetime):
        local = to_tehran(value)
        text += f" {local.hour:02d}:{local.minute:02d}"
    return text
