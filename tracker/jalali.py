"""The Jalali (Solar Hijri) calendar at the edges of the app.

Everything is stored as aware Gregorian datetimes and dates; this module converts them to
Jalali for display (Persian digits), parses what people type (Persian, Arabic-Indic or Latin
digits, ``/`` or ``-``, month names, an optional weekday) and plugs both into Django forms,
the admin and DRF. An impossible date is always a :class:`JalaliDateError` with a Persian
message, so it surfaces as a form error or a 400, never a 500.

Conversions are done by ``jdatetime``; the tests check it against ``persiantools`` for every
day of 1300–1500.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, ClassVar, Final

import jdatetime
from django import forms
from django.contrib.admin.decorators import display
from django.core.exceptions import ValidationError
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.text import normalize, to_latin_digits, to_persian_digits

__all__ = [
    "MONTH_NAMES",
    "TEHRAN",
    "WEEKDAY_NAMES",
    "JalaliAdminMixin",
    "JalaliDateError",
    "JalaliDateField",
    "JalaliDateSerializerField",
    "JalaliDateTimeField",
    "JalaliDateTimeSerializerField",
    "JalaliDateTimeWidget",
    "JalaliDateWidget",
    "JalaliTwinField",
    "days_in_month",
    "fiscal_year_bounds",
    "format_date",
    "format_datetime",
    "format_time",
    "is_leap_year",
    "jalali_display",
    "jalali_string",
    "jalali_to_gregorian",
    "month_bounds",
    "parse_date",
    "parse_datetime",
    "quarter_of",
    "to_jalali_date",
    "to_tehran",
]

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

DATE_STYLES: Final = ("numeric", "long", "weekday")

#: Numeric years above this are Gregorian (ISO input from APIs); Jalali 1700 is Gregorian 2321.
GREGORIAN_YEAR_THRESHOLD: Final = 1700

#: Static files the Jalali widgets need; the glue must come after the picker it starts.
PICKER_JS: Final = ("vendor/jalalidatepicker/jalalidatepicker.min.js", "js/jalali-inputs.js")
PICKER_CSS: Final = ("vendor/jalalidatepicker/jalalidatepicker.min.css",)


class JalaliDateError(ValueError):
    """A date or time that cannot be parsed or does not exist; ``message`` is Persian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Calendar arithmetic ----------------------------------------------------------------------


def _fa(value: int | str, width: int = 0) -> str:
    """An integer in Persian digits, zero-padded to ``width``."""
    return to_persian_digits(str(value).zfill(width))


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
        raise JalaliDateError(f"سال {_fa(jyear)} پشتیبانی نمی‌شود: سال باید بین ۱ و ۱۶۹۹ باشد.")
    if not 1 <= jmonth <= 12:
        subject = (
            f"تاریخ {_fa(jyear)}/{_fa(jmonth, 2)}/{_fa(jday, 2)}"
            if jday is not None
            else f"ماه {_fa(jmonth)}"
        )
        raise JalaliDateError(f"{subject} وجود ندارد: ماه باید بین ۱ و ۱۲ باشد.")


@functools.lru_cache(maxsize=8192)
def jalali_to_gregorian(jyear: int, jmonth: int, jday: int) -> date:
    """The Gregorian date of a Jalali date; :class:`JalaliDateError` names what is wrong."""
    _check_month(jyear, jmonth, jday)
    last = days_in_month(jyear, jmonth)
    if not 1 <= jday <= last:
        label = f"تاریخ {_fa(jyear)}/{_fa(jmonth, 2)}/{_fa(jday, 2)} وجود ندارد"
        month = f"{MONTH_NAMES[jmonth - 1]} {_fa(jyear)}"
        if jday > last:
            raise JalaliDateError(f"{label}: {month} {_fa(last)} روز دارد.")
        raise JalaliDateError(f"{label}: روز باید بین ۱ و {_fa(last)} باشد.")
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
        raise JalaliDateError(f"ماه {_fa(jmonth)} وجود ندارد: ماه باید بین ۱ و ۱۲ باشد.")
    return (jmonth - 1) // 3 + 1


# --- Formatting ----------------------------------------------------------------------------------


def _weekday_name(d: date) -> str:
    # Python's Monday=0 becomes Saturday=0.
    return WEEKDAY_NAMES[(d.weekday() + 2) % 7]


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
        return f"{_fa(j.year)}/{_fa(j.month, 2)}/{_fa(j.day, 2)}"
    long = f"{_fa(j.day)} {MONTH_NAMES[j.month - 1]} {_fa(j.year)}"
    return f"{_weekday_name(gregorian)} {long}" if style == "weekday" else long


def format_time(value: datetime | time | None) -> str:
    """«۱۰:۳۰»: hours and minutes in Persian digits, in Tehran time for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_tehran(value).time()
    return f"{_fa(value.hour, 2)}:{_fa(value.minute, 2)}"


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


# --- Parsing -------------------------------------------------------------------------------------


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
            f"سال باید بین {_fa(low)} و {_fa(high)} شمسی باشد."
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
    if weekday is not None and _weekday_name(result) != WEEKDAY_NAMES[weekday]:
        actual, typed = _weekday_name(result), WEEKDAY_NAMES[weekday]
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
            raise JalaliDateError(f"ساعت {_fa(hour, 2)}:{_fa(minute, 2)} وجود ندارد.")
        at = time(hour, minute, second)
        s = m["date"]
    return datetime.combine(parse_date(s), at, tzinfo=TEHRAN)


# --- Django forms ------------------------------------------------------------------------------


class JalaliDateWidget(forms.TextInput):
    """A text input showing a date as «۱۳۹۹/۰۵/۱۱», with the Jalali date picker."""

    class Media:
        js = PICKER_JS
        css: ClassVar[dict[str, tuple[str, ...]]] = {"all": PICKER_CSS}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # data-jdp-only-date: the picker is started with time enabled for datetime inputs.
        base = {"data-jdp": True, "data-jdp-only-date": True, "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.date()
        if isinstance(value, date | jdatetime.date):
            return format_date(value)
        # A bound form re-displays exactly what the user typed.
        return str(value)


class JalaliDateTimeWidget(forms.TextInput):
    """A text input showing a datetime as «۱۳۹۹/۰۵/۱۱ ۱۰:۳۰» (Tehran), with the picker.

    The separator is a plain space, the picker's own, so it can read the value back.
    """

    class Media:
        js = PICKER_JS
        css: ClassVar[dict[str, tuple[str, ...]]] = {"all": PICKER_CSS}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"data-jdp": True, "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            # Django's DateTimeField.prepare_value hands over naive local (Tehran) time.
            local = value.replace(tzinfo=TEHRAN) if value.tzinfo is None else to_tehran(value)
            return f"{format_date(local)} {format_time(local)}"
        if isinstance(value, date):
            return format_date(value)
        return str(value)


class JalaliDateField(forms.DateField):
    """A form date field that reads Jalali (or ISO) input and reports errors in Persian."""

    widget = JalaliDateWidget

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return to_tehran(value).date() if value.tzinfo else value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except JalaliDateError as exc:
            # The message may echo input with a "%": pass it as a parameter, never as a format.
            raise ValidationError(
                "%(reason)s", code="invalid", params={"reason": exc.message}
            ) from exc


class JalaliDateTimeField(forms.DateTimeField):
    """A form datetime field that reads Jalali (or ISO) input in Tehran time, errors in Persian."""

    widget = JalaliDateTimeWidget

    def prepare_value(self, value: Any) -> Any:
        # Keep aware values as they are: the widget converts them to Tehran time itself.
        return value

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=TEHRAN) if value.tzinfo is None else to_tehran(value)
        if isinstance(value, date):
            return datetime.combine(value, time(0, 0), tzinfo=TEHRAN)
        if isinstance(value, list | tuple):
            value = " ".join(str(part) for part in value if part)
        try:
            return parse_datetime(str(value))
        except JalaliDateError as exc:
            # The message may echo input with a "%": pass it as a parameter, never as a format.
            raise ValidationError(
                "%(reason)s", code="invalid", params={"reason": exc.message}
            ) from exc

    def has_changed(self, initial: Any, data: Any) -> bool:
        # The widget shows minutes only: seconds in the stored value are not a change.
        try:
            new = self.to_python(data)
            old = self.to_python(initial)
        except ValidationError:
            return True
        if old is None or new is None:
            return old is not new
        return old.replace(second=0, microsecond=0) != new.replace(second=0, microsecond=0)


# --- DRF -----------------------------------------------------------------------------------------

_DRF_INVALID: Final = "تاریخ معتبر نیست؛ تاریخ را به شکل ۱۳۹۹/۰۵/۱۱ یا 2020-08-01 بفرستید."


# Its schema (ISO out, Jalali or ISO in) is in tracker/api/schema.py.
class JalaliDateSerializerField(serializers.DateField):
    """A date: ISO on output; ISO or Jalali on input; Persian validation messages."""

    default_error_messages = {
        "invalid": _DRF_INVALID,
        "datetime": "به جای تاریخ و ساعت، فقط تاریخ بفرستید.",
    }

    def to_internal_value(self, value: Any) -> date:
        if isinstance(value, datetime):
            self.fail("datetime")
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            return parse_date(value)
        except JalaliDateError as exc:
            raise serializers.ValidationError(exc.message, code="invalid") from exc


# Its schema (ISO out, Jalali or ISO in) is in tracker/api/schema.py.
class JalaliDateTimeSerializerField(serializers.DateTimeField):
    """A datetime: ISO on output; ISO or Jalali (Tehran time) on input; Persian messages."""

    default_error_messages = {
        "invalid": "تاریخ و ساعت معتبر نیست؛ به شکل ۱۳۹۹/۰۵/۱۱ ۱۰:۳۰ یا ISO 8601 بفرستید.",
        "date": "تاریخ و ساعت لازم است، نه فقط تاریخ.",
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            return self.enforce_timezone(value)
        if isinstance(value, date):
            self.fail("date")
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            parsed = parse_datetime(value)
        except JalaliDateError as exc:
            raise serializers.ValidationError(exc.message, code="invalid") from exc
        return self.enforce_timezone(parsed)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "readOnly": True,
        "example": "1399/05/11",
        "description": "Jalali twin (Latin digits; datetimes in Tehran time as YYYY/MM/DD HH:MM).",
    }
)
class JalaliTwinField(serializers.Field):
    """Read-only ``jalali_string`` of another attribute: ``JalaliTwinField(source="due_date")``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        return jalali_string(value)


# --- Admin ---------------------------------------------------------------------------------------


class JalaliAdminMixin:
    """Jalali inputs for every date and datetime field of a ModelAdmin or InlineModelAdmin.

    Put it before ``admin.ModelAdmin`` in the bases. A subclass that needs its own
    ``formfield_overrides`` should extend ``JalaliAdminMixin.formfield_overrides``.
    """

    formfield_overrides: ClassVar[Mapping[type[models.Field], Mapping[str, Any]]] = {
        models.DateField: {"form_class": JalaliDateField, "widget": JalaliDateWidget},
        models.DateTimeField: {
            "form_class": JalaliDateTimeField,
            "widget": JalaliDateTimeWidget,
        },
    }


def jalali_display(
    field_name: str, description: str, *, style: str = "numeric"
) -> Callable[[Any], Any]:
    """A ``list_display`` callable showing ``field_name`` (``a__b`` traverses) in Jalali.

    Sorting follows the underlying field. The callable returns a string, or None for an
    empty value so the admin shows its own empty marker (hence the loose return type, which
    django-stubs' ``list_display`` accepts).
    """

    def show(obj: Any) -> str | None:
        value: Any = obj
        for part in field_name.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        if isinstance(value, datetime):
            return format_datetime(value, style)
        return format_date(value, style)

    show.__name__ = f"{field_name}_jalali"
    return display(description=description, ordering=field_name)(show)
