"""What the API modules share in the OpenAPI schema: the error responses, and how the
Jalali date fields are described, by direction.

Error responses: every view lists the 4xx it answers, each with the common error body
(:class:`~tracker.api.serializers.ErrorSerializer`; ``dashboard.openapi`` writes its
``Error`` component and adds what the framework answers around every view). The sets
below are named once here, by what a view does, instead of a dict per API module.

Jalali dates: a date or datetime the API *reads* goes through :func:`tracker.jalali.parse_date` /
``parse_datetime``: Jalali (``1403/01/01``, Persian digits) or ISO. Typed ``format: date``,
a generated client or Swagger's "try it out" would refuse the Jalali dates the server
accepts, so in requests these fields are strings with a Jalali example. What the API
*writes* is always ISO, so responses keep ``format: date`` / ``date-time``. (The schema
has separate request components: ``COMPONENT_SPLIT_REQUEST``.)
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from tracker.filters import JALALI_DATE_HELP, JALALI_DATE_SCHEMA

from .serializers import ErrorSerializer

__all__ = [
    "ERRORS",
    "INPUT_ERRORS",
    "ONE_ERRORS",
    "READ_ERRORS",
    "WRITE_ERRORS",
    "JalaliDateFieldExtension",
    "JalaliDateTimeFieldExtension",
    "error_responses",
]


def error_responses(*codes: int) -> dict[int, type[ErrorSerializer]]:
    """``responses=`` entries for these status codes, each with the common error body."""
    return dict.fromkeys(codes, ErrorSerializer)


#: A list, or a read of the user's own things: not signed in (401), refused (403).
READ_ERRORS = error_responses(401, 403)
#: One object by id: also 404, for an unknown id or one the user may not see.
ONE_ERRORS = error_responses(401, 403, 404)
#: Input that names no object: 400 with field errors (403 is also a read-only token's
#: answer to a write).
INPUT_ERRORS = error_responses(400, 401, 403)
#: Input about one object, or to a create that names others by id: 400 and 404 too.
ERRORS = error_responses(400, 401, 403, 404)
#: A write whose object's state may refuse it: also 409.
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)

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


class StrictInputSerializerExtension(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """An input serializer that refuses unknown fields says so: ``additionalProperties:
    false``. Without it the schema allowed any extra property, and the fuzz run counted each
    400 naming one as a valid request refused."""

    target_class = "tracker.api.serializers.StrictInputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> Any:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema
