"""Jalali dates, relative dates, times and deadlines in Persian report text.

The text is searched folded (:mod:`.fold`), so Persian, Arabic-Indic and Latin digits are
all Latin here. Calendar arithmetic is ``jdatetime``'s; nothing else is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime

from .fold import Folded
from .types import DateReading, ReviewItem

TEHRAN = ZoneInfo("Asia/Tehran")

MONTHS = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5,
    "شهریور": 6, "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}  # fmt: skip
#: Index 0 is Saturday, the first day of the Persian week.
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه شنبه", "چهارشنبه", "پنجشنبه", "جمعه")
_WEEKDAY_RE = r"(?<![^\s،,])(?P<wd>یک ?شنبه|دو ?شنبه|سه ?شنبه|چهار ?شنبه|پنج ?شنبه|شنبه|جمعه)"
_MONTH_RE = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"

WRITTEN_DATE = re.compile(
    rf"(?:{_WEEKDAY_RE}[\s،,]*)?(?P<day>\d{{1,2}})\s*(?:ام\s+)?{_MONTH_RE}(?:\s*ماه)?"
    r"(?:\s*(?:سال\s*)?(?P<year>1[34]\d\d))?"
)
NUMERIC_DATE = re.compile(
    rf"(?:{_WEEKDAY_RE}[\s،,]*)?(?:مورخ\s*)?"
    r"(?<!\d)(?P<year>1[34]\d\d)\s*[/\-.]\s*(?P<month>\d{1,2})\s*[/\-.]\s*(?P<day>\d{1,2})(?!\d)"
)
TIME = re.compile(
    r"ساعت\s*(?P<h>\d{1,2})(?:\s*[:٫.]\s*(?P<m>\d{2}))?"
    r"(?:\s*(?P<part>صبح|بعد ?از ?ظهر|عصر|شب|ظهر))?"
)
RELATIVE = re.compile(
    r"(?:(?:صبح|ظهر|عصر|شب|بعد ?از ?ظهر)\s+)?(?P<word>امروز(?!ه)|روز گذشته|دیروز|پریروز|فردا)"
    r"(?:\s+(?:صبح|ظهر|عصر|شب|بعد ?از ?ظهر))?"
    rf"|(?:روز\s+)?{_WEEKDAY_RE}\s+(?P<dir>گذشته|اخیر|آینده)"
)
_RELATIVE_DAYS = {"امروز": 0, "روز گذشته": -1, "دیروز": -1, "پریروز": -2, "فردا": 1}

_NUMBER_WORDS = {
    "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8,
    "نه": 9, "ده": 10, "پانزده": 15, "بیست": 20, "سی": 30, "چند": 0,
}  # fmt: skip
DEADLINE = re.compile(
    r"(?:ظرف|طی|حداکثر(?:\s+تا)?|در مدت)\s+(?:مدت\s+)?(?P<n>\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?P<unit>روز|هفته|ماه|سال)(?:\s+کاری)?"
    + rf"|تا\s+پایان\s+(?:{_MONTH_RE}(?:\s*ماه)?|(?P<year_end>سال(?:\s+جاری)?))"
    + rf"|تا\s+(?P<day2>\d{{1,2}})\s*{_MONTH_RE.replace('month', 'month2')}"
)


@dataclass(frozen=True)
class FoundDate:
    value: date
    weekday: int | None  # 0 = Saturday
    start: int
    end: int


def weekday_of(d: date) -> int:
    """Persian weekday index of ``d``: Saturday 0 … Friday 6."""
    return (d.weekday() + 2) % 7


def _weekday_index(word: str) -> int:
    return WEEKDAYS.index(word.replace(" ", "").replace("سهشنبه", "سه شنبه"))


def _to_gregorian(year: int, month: int, day: int) -> date | None:
    try:
        result: date = jdatetime.date(year, month, day).togregorian()
    except ValueError:
        return None
    return result


def find_dates(folded: Folded, *, default_year: int | None = None) -> list[FoundDate]:
    """Every absolute Jalali date in the text, in order of position."""
    found: list[FoundDate] = []
    text = folded.text
    for rx in (WRITTEN_DATE, NUMERIC_DATE):
        for m in rx.finditer(text):
            month_raw = m.group("month")
            month = MONTHS[month_raw] if not month_raw.isdigit() else int(month_raw)
            year = int(m.group("year")) if m.group("year") else default_year
            if year is None:
                continue
            value = _to_gregorian(year, month, int(m.group("day")))
            if value is None:
                continue
            wd = _weekday_index(m.group("wd")) if m.group("wd") else None
            found.append(FoundDate(value, wd, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def date_reading(
    folded: Folded, found: FoundDate, review: list[ReviewItem], field: str
) -> DateReading:
    """A reading of ``found``; a weekday that does not fit the date lowers the confidence."""
    span = folded.span(found.start, found.end)
    if found.weekday is None:
        return DateReading(found.value, 0.85, span)
    if found.weekday == weekday_of(found.value):
        return DateReading(found.value, 0.95, span, weekday_checked=True)
    review.append(
        ReviewItem(
            field,
            f"روز هفته با تاریخ نمی‌خواند: این تاریخ {WEEKDAYS[weekday_of(found.value)]} است.",
            span,
        )
    )
    return DateReading(found.value, 0.5, span, weekday_checked=False)


def find_relative(
    text: str, start: int, end: int, report_date: date
) -> tuple[date, int, int] | None:
    """The first relative date in ``text[start:end]``, counted from ``report_date``."""
    m = RELATIVE.search(text, start, end)
    if m is None:
        return None
    if m.group("word"):
        return report_date + timedelta(days=_RELATIVE_DAYS[m.group("word")]), m.start(), m.end()
    wd = _weekday_index(m.group("wd"))
    delta = (weekday_of(report_date) - wd) % 7
    if m.group("dir") == "آینده":
        ahead = (wd - weekday_of(report_date)) % 7 or 7
        return report_date + timedelta(days=ahead), m.start(), m.end()
    return report_date - timedelta(days=delta or 7), m.start(), m.end()


def find_time(text: str, start: int, end: int) -> tuple[time, int, int] | None:
    m = TIME.search(text, start, end)
    if m is None:
        return None
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    part = (m.group("part") or "").replace(" ", "")
    if part in {"بعدازظهر", "عصر", "شب"} and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute), m.start(), m.end()


def combine(day: date, at: time | None) -> date | datetime:
    """An aware datetime in Tehran when the time is known, else the date itself."""
    return datetime.combine(day, at, tzinfo=TEHRAN) if at else day


def _add_months(day: date, months: int) -> date:
    j = jdatetime.date.fromgregorian(date=day)
    total = j.month - 1 + months
    year, month = j.year + total // 12, total % 12 + 1
    last = (
        31
        if month <= 6
        else 30
        if month < 12
        else (30 if jdatetime.date(year, 1, 1).isleap() else 29)
    )
    result: date = jdatetime.date(year, month, min(j.day, last)).togregorian()
    return result


def _month_end(day: date, month: int) -> date:
    j = jdatetime.date.fromgregorian(date=day)
    year = j.year if month >= j.month else j.year + 1
    nxt = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    result: date = nxt.togregorian() - timedelta(days=1)
    return result


def find_deadline(
    text: str, start: int, end: int, meeting_day: date
) -> tuple[date, int, int] | None:
    """A due date from «ظرف دو هفته», «تا پایان آذر ماه», «تا ۱۵ شهریور», from ``meeting_day``."""
    m = DEADLINE.search(text, start, end)
    if m is None:
        return None
    if m.group("n"):
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        if n == 0:
            return None
        unit = m.group("unit")
        if unit == "روز":
            due = meeting_day + timedelta(days=n)
        elif unit == "هفته":
            due = meeting_day + timedelta(weeks=n)
        else:
            due = _add_months(meeting_day, n * (12 if unit == "سال" else 1))
    elif m.group("month"):
        due = _month_end(meeting_day, MONTHS[m.group("month")])
    elif m.group("year_end"):
        due = _month_end(meeting_day, 12)
    else:
        j = jdatetime.date.fromgregorian(date=meeting_day)
        month, day = MONTHS[m.group("month2")], int(m.group("day2"))
        year = j.year if (month, day) >= (j.month, j.day) else j.year + 1
        found = _to_gregorian(year, month, day)
        if found is None:
            return None
        due = found
    return due, m.start(), m.end()
