"""Jalali fields for DRF serializers: ISO out, ISO or Jalali in, Persian messages; and the
read-only Jalali twin of a date. The request/response schema of the two input fields is
described in :mod:`tracker.api.schema`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .calendar import JalaliDateError
from .formatting import jalali_string
from .parsing import parse_date, parse_datetime

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
