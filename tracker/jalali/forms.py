"""Jalali inputs for Django forms: a text widget with the Jalali date picker and fields
that read what :mod:`.parsing` reads, with its Persian messages as form errors."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, ClassVar, Final

import jdatetime
from django import forms
from django.core.exceptions import ValidationError

from ..persian import to_persian_digits
from .calendar import TEHRAN, to_tehran
from .formatting import format_date, format_time
from .parsing import JalaliDateError, parse_date, parse_datetime

#: Static files the Jalali widgets need; the glue must come after the picker it starts.
PICKER_JS: Final = ("vendor/jalalidatepicker/jalalidatepicker.min.js", "js/jalali-inputs.js")
PICKER_CSS: Final = ("vendor/jalalidatepicker/jalalidatepicker.min.css",)
#: A Gregorian ISO date (YYYY-MM-DD, Latin digits) as links and the API write them.
_ISO_DATE: Final = re.compile(r"(19|20)\d\d-\d\d-\d\d")


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
        # An ISO date in the query string (the dashboard's links write them) is shown as the
        # Jalali date it means, not «۲۰۲۶-۱۱-۲۲» in a Jalali field.
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return format_date(date.fromisoformat(value.strip()))
            except ValueError:
                pass
        # A bound form re-displays what the user typed, in Persian digits like the page
        # (a date typed or sent in Latin digits came back as «1403/02/01» after an error).
        return to_persian_digits(str(value))


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
        return to_persian_digits(str(value))


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
