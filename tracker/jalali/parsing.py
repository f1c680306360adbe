"""What people type as a date: Persian, Arabic-Indic or Latin digits, ``/`` or ``-``, month
names, an optional weekday, an optional time. An impossible date is always a
:class:`~.calendar.JalaliDateError` with a Persian message, so it surfaces as a form error or
a 400, never a 500.

Pure Python, like :mod:`.calendar`: no Django import.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Final

import jdatetime

from tracker.persian import normalize, to_latin_digits, to_persian_digits

from .calendar import (
    GREGORIAN_YEAR_THRESHOLD,
    MONTH_NAMES,
    TEHRAN,
    WEEKDAY_NAMES,
    JalaliDateError,
    fa_number,
    jalali_to_gregorian,
    weekday_name,
)
from .formatting import format_date


def _lookup_key(word: str) -> str:
    """Spelling-insensitive key for month and weekday names (آ/ا, spaces, ZWNJ, ي/ك)."""
    return normalize(word).replace(" ", "").replace("آ", "ا")


_MONTH_BY_KEY: Final[dict[str, int]] = {
    **{_lookup_key(name): i for i, name in enumerate(MONTH_NAMES, start=1)},
    _lookup_key("امرداد"): 5,  # the older, Academy-preferred spelling of Mordad
}
_WEEKDAY_BY_KEY: Final[dict[str, int]] = {
    _lookup_key(name): i for i, name in enumerate(WEEKDAY_NAMES)
}

# Patterns run on normalize()d text: Latin digits, single spaces, ی/ک, lower case.
_NUMERIC_RE: Final = re.compile(r"(?P<y>\d+) ?[/-] ?(?P<m>\d+) ?[/-] ?(?P<d>\d+)")
_TEXTUAL_RE: Final = re.compile(r"(?P<d>\d{1,2}) ?(?P<month>[^\d\s]+(?: ?ماه)?) ?(?P<y>\d{4})")
_WEEKDAY_PREFIX_RE: Final = re.compile(r"(?P<weekday>[^\d]+?) ?[،,]? ?(?=\d)")
_TIME_SUFFIX_RE: Final = re.compile(
    r"(?P<date>.+?)(?: ?[،,] ?| |t)(?:ساعت ?)?"
    r"(?P<h>\d{1,2}):(?P<mi>\d{1,2})(?::(?P<s>\d{1,2})(?:\.\d+)?)?"
)
_ISO_DATETIME_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d")

_EXAMPLE: Final = "۱۳۹۹/۰۵/۱۱ یا ۱۱ مرداد ۱۳۹۹"


#: Dates the product accepts: wide enough for any agreement or archive, narrow enough that
#: every accepted date converts both ways (jdatetime fails past Gregorian 9998) and that a
#: typo such as 9999 is refused at the edge instead of being stored and breaking reads.
MIN_DATE: Final = date(1800, 1, 1)
MAX_DATE: Final = date(2299, 12, 31)


def _check_range(text: str, value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        low = jdatetime.date.fromgregorian(date=MIN_DATE).year + 1
        high = jdatetime.date.fromgregorian(date=MAX_DATE).year - 1
        raise JalaliDateError(
            f"تاریخ «{text.strip()}» خارج از بازه پذیرفته است: "
            f"سال باید بین {fa_number(low)} و {fa_number(high)} شمسی باشد."
        )
    return value


def _not_a_date(text: str) -> JalaliDateError:
    if not text.strip():
        return JalaliDateError("تاریخ وارد نشده است.")
    return JalaliDateError(f"«{text.strip()}» تاریخ نیست؛ تاریخ را به شکل {_EXAMPLE} بنویسید.")


def _gregorian(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise JalaliDateError(f"تاریخ میلادی {text} وجود ندارد.") from None


def _numeric_date(text: str, y: str, m: str, d: str) -> date:
    if len(y) != 4 or len(m) > 2 or len(d) > 2:
        if len(d) == 4 and len(y) <= 2:
            raise JalaliDateError(
                f"ترتیب «{text}» درست نیست: اول سال، بعد ماه و بعد روز بنویسید؛ مثلاً {_EXAMPLE}."
            )
        raise JalaliDateError(
            f"«{text}» تاریخ درستی نیست: سال را چهاررقمی بنویسید؛ مثلاً {_EXAMPLE}."
        )
    year, month, day = int(y), int(m), int(d)
    if year > GREGORIAN_YEAR_THRESHOLD:
        return _gregorian(text, year, month, day)
    return jalali_to_gregorian(year, month, day)


def parse_date(text: str) -> date:
    """Parse a Jalali (or ISO Gregorian) date typed by a person.

    Accepted: «1399/5/11», «۱۳۹۹-۰۵-۱۱», «١٣٩٩/٠٥/١١» (year, month, day; ``/`` or ``-``),
    «۱۱ مرداد ۱۳۹۹» (Arabic ي/ك spellings and «مرداد ماه» too), each optionally after a
    weekday that must then be right («شنبه ۱۱ مرداد ۱۳۹۹»), and ISO «2020-08-01»: a year
    above 1700 is Gregorian. Two-digit years are refused as ambiguous. Anything else raises
    :class:`JalaliDateError` with a Persian message naming the problem.
    """
    if not isinstance(text, str):
        raise _not_a_date(str(text))
    s = normalize(text)
    weekday: int | None = None
    prefix = _WEEKDAY_PREFIX_RE.match(s)
    if prefix:
        weekday = _WEEKDAY_BY_KEY.get(_lookup_key(prefix["weekday"]))
        if weekday is None:
            raise _not_a_date(text)
        s = s[prefix.end() :]
    if m := _NUMERIC_RE.fullmatch(s):
        result = _numeric_date(to_persian_digits(text.strip()), m["y"], m["m"], m["d"])
    elif m := _TEXTUAL_RE.fullmatch(s):
        month_word = m["month"].removesuffix("ماه").strip()
        month = _MONTH_BY_KEY.get(_lookup_key(month_word))
        if month is None:
            raise JalaliDateError(f"«{month_word}» نام یک ماه شمسی نیست.")
        result = jalali_to_gregorian(int(m["y"]), month, int(m["d"]))
    else:
        raise _not_a_date(text)
    _check_range(text, result)
    if weekday is not None and weekday_name(result) != WEEKDAY_NAMES[weekday]:
        actual, typed = weekday_name(result), WEEKDAY_NAMES[weekday]
        raise JalaliDateError(f"{format_date(result, 'long')} {actual} است، نه {typed}.")
    return result


def _parse_iso_datetime(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise JalaliDateError(f"«{raw}» تاریخ و ساعت درستی نیست.") from None
    _check_range(raw, value.date())
    if value.tzinfo is None:
        return value.replace(tzinfo=TEHRAN)
    return value.astimezone(TEHRAN)


def parse_datetime(text: str) -> datetime:
    """Parse a date as :func:`parse_date` plus an optional time, in Tehran time.

    «۱۳۹۹/۰۵/۱۱ ۱۰:۳۰», «۱۱ مرداد ۱۳۹۹ ساعت ۱۰:۳۰», «1399-05-11T10:30» and ISO 8601
    («2020-08-01T10:30:00+04:30», «2020-08-01T06:00Z») are accepted. Without a time the
    result is midnight. The result is aware, in Asia/Tehran.
    """
    if not isinstance(text, str):
        raise _not_a_date(str(text))
    raw = to_latin_digits(text).strip()
    if _ISO_DATETIME_RE.match(raw) and int(raw[:4]) > GREGORIAN_YEAR_THRESHOLD:
        return _parse_iso_datetime(raw)
    s = normalize(text)
    at = time(0, 0)
    if m := _TIME_SUFFIX_RE.fullmatch(s):
        hour, minute, second = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise JalaliDateError(f"ساعت {fa_number(hour, 2)}:{fa_number(minute, 2)} وجود ندارد.")
        at = time(hour, minute, second)
        s = m["date"]
    return datetime.combine(parse_date(s), at, tzinfo=TEHRAN)
