"""How the OpenAPI schema describes the Jalali date fields, by direction.

A date or datetime the API *reads* goes through :func:`tracker.jalali.parse_date` /
``parse_datetime``: Jalali (``1403/01/01``, Persian digits) or ISO. Typed ``format: date``,
a generated client or Swagger's "try it out" would refuse the Jalali dates the server
accepts, so in requests these fields are strings with a Jalali example. What the API
*writes* is always ISO, so responses keep ``format: date`` / ``date-time``. (The schema
has separate request components: ``COMPONENT_SPLIT_REQUEST``.)
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from tracker.filters import JALALI_DATE_HELP, JALALI_DATE_SCHEMA

JALALI_DATETIME_HELP = (
    "A Jalali date and time in Tehran time (۱۴۰۳/۰۱/۰۱ ۱۰:۳۰, 1403/01/01 10:30) or an ISO 8601 "
    "datetime (2024-03-20T10:30:00+03:30)."
)


class JalaliDateFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    target_class = "tracker.jalali.drf.JalaliDateSerializerField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        if direction == "request":
            return {**JALALI_DATE_SCHEMA, "description": JALALI_DATE_HELP}
        return build_basic_type(OpenApiTypes.DATE)


class JalaliDateTimeFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    target_class = "tracker.jalali.drf.JalaliDateTimeSerializerField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        if direction == "request":
            return {
                "type": "string",
                "example": "1403/01/01 10:30",
                "description": JALALI_DATETIME_HELP,
            }
        return build_basic_type(OpenApiTypes.DATETIME)
