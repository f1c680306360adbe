"""drf-spectacular post-processing: what every operation shares, described once.

Each view documents its own success and domain errors. The hooks here add what comes from
the framework around every view, unless the view documented it itself:

- :func:`add_error_responses`: 401 without credentials, 403 for a refused token or role,
  404 for an unknown id or page, 400 for a bad filter or body, 413 for a body over the
  limit, 429 when throttled, all referring to the shared ``Error`` component;
- :func:`add_conditional_get`: the ETag and 304 of ConditionalGetMiddleware (every JSON
  GET), and the ``If-None-Match`` header that asks for them;
- :func:`describe_jalali_dates`: query dates that the server reads as Jalali or ISO are
  strings, not ``format: date`` (which generated clients and Swagger UI would enforce);
- :func:`fill_descriptions`: responses and parameters the views left undescribed.
"""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

from tracker.filters import JALALI_DATE_SCHEMA

_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_DESCRIPTIONS = {
    "200": "OK.",
    "201": "Created.",
    "204": "Done; no body.",
    "304": "Not modified: the If-None-Match ETag still matches; no body, reuse your copy.",
    "400": "Invalid input or filter; one key per field with Persian messages.",
    "401": "Missing, invalid, expired or revoked credentials.",
    "403": "Signed in, but the role or a read-only token does not allow this.",
    "404": "Not found or not visible to this user (or no such page).",
    "409": "The object's current state does not allow this (a Persian message says why).",
    "412": "If-Match (or lock_version) names a stale copy: read it again, then edit.",
    "413": "The request body is larger than the server accepts.",
    "428": "Send If-Match (or lock_version in the body) with the ETag you read.",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}
_PARAMETER_DESCRIPTIONS = {
    ("header", "If-Match"): (
        "The ETag of the copy being edited (from the last read or write). A stale one is "
        "refused with 412, so no one's change is overwritten unseen; lock_version in the "
        "body does the same."
    ),
    ("path", "number"): "The version's number within the agreement (1, 2, …).",
}
#: The body of a 4xx: ``detail`` for errors that are not about one input, and for invalid
#: input one key per field (``non_field_errors`` for the whole body). A field's value is
#: its messages; a list of rows (meeting attendances, agreement parties) answers one
#: object per row keyed the same way, and a list field that is not a list answers an
#: object, as DRF does.
_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "The body of every 4xx answer: `detail`, a Persian message, and for invalid input "
        'one key per field with its Persian messages, e.g. `{"title": ["این فیلد لازم '
        'است."]}`.'
    ),
    "properties": {
        "detail": {
            "type": "string",
            "description": "What went wrong, when it is not about one field.",
        },
    },
    "additionalProperties": {
        "description": (
            "One input field's messages (`non_field_errors`: the whole body's); for a list "
            "of rows, one object per row keyed by the row's fields."
        ),
        "anyOf": [
            {
                "type": "array",
                "items": {
                    "anyOf": [
                        {"type": "string"},
                        {"type": "object", "additionalProperties": True},
                    ]
                },
            },
            {"type": "object", "additionalProperties": True},
        ],
    },
}
_IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "The ETag of a copy you hold (several may be sent, comma-separated). If the answer "
        "is still the same, it is a 304 with no body."
    ),
}
_ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "This answer's version; send it back in If-None-Match to revalidate.",
    }
}


def _operations(result: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in result.get("paths", {}).items()
        for method, operation in operations.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def _error_component(result: dict[str, Any]) -> None:
    # Replaces the component drf-spectacular derives from ErrorSerializer: a serializer
    # cannot say "any other key is a list of messages".
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = copy.deepcopy(_ERROR_SCHEMA)


def add_error_responses(result: dict[str, Any], generator: Any, **_: Any) -> dict[str, Any]:
    _error_component(result)
    for path, method, operation in _operations(result):
        codes = ["401", "403", "429"]
        params = operation.get("parameters", [])
        if "{" in path or any(p.get("name") == "page" for p in params):
            codes.append("404")
        if method in ("post", "put", "patch") or any(p.get("in") == "query" for p in params):
            codes.append("400")
        if "requestBody" in operation:
            # tracker.middleware.BodySizeLimitMiddleware, before any view reads the body.
            codes.append("413")
        responses = operation["responses"]
        for code in codes:
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": _ERROR_REF}},
                },
            )
    return result


def _answers_json(operation: dict[str, Any]) -> bool:
    return any(
        code.startswith("2") and "application/json" in response.get("content", {})
        for code, response in operation["responses"].items()
    )


def add_conditional_get(result: dict[str, Any], generator: Any, **_: Any) -> dict[str, Any]:
    """ConditionalGetMiddleware tags every JSON GET answer and answers 304 to a matching
    If-None-Match. Streamed files (the exports) get no ETag, so no 304 either."""
    for _path, method, operation in _operations(result):
        if method != "get" or not _answers_json(operation):
            continue
        responses = operation["responses"]
        for code, response in responses.items():
            if code.startswith("2"):
                response.setdefault("headers", {}).update(copy.deepcopy(_ETAG_HEADER))
        not_modified = responses.setdefault("304", {"description": _DESCRIPTIONS["304"]})
        not_modified.setdefault("headers", {}).update(copy.deepcopy(_ETAG_HEADER))
        params = operation.setdefault("parameters", [])
        if not any(p.get("in") == "header" and p.get("name") == "If-None-Match" for p in params):
            params.append(copy.deepcopy(_IF_NONE_MATCH))
    return result


def describe_jalali_dates(result: dict[str, Any], generator: Any, **_: Any) -> dict[str, Any]:
    """A query date whose description says it reads Jalali is a string with a Jalali
    example (the description stays).

    The date filters (``tracker.filters.JalaliDateFilter``) are described so at the source;
    the aggregates' and exports' query serializers use ``JalaliDateSerializerField``, which
    drf-spectacular maps to ``format: date`` even though their help text says Jalali.
    """
    for _path, _method, operation in _operations(result):
        for param in operation.get("parameters", []):
            schema = param.get("schema", {})
            if param.get("in") != "query" or schema.get("format") != "date":
                continue
            if "jalali" not in param.get("description", "").lower():
                continue
            rest = {key: value for key, value in schema.items() if key != "format"}
            param["schema"] = {**rest, **JALALI_DATE_SCHEMA}
    return result


def fill_descriptions(result: dict[str, Any], generator: Any, **_: Any) -> dict[str, Any]:
    """OpenAPI requires a description on every response; drf-spectacular leaves it empty
    unless the view wrote one. Undescribed parameters get theirs by location and name."""
    for _path, _method, operation in _operations(result):
        for code, response in operation["responses"].items():
            if not response.get("description"):
                response["description"] = _DESCRIPTIONS.get(code) or _phrase(code)
        for param in operation.get("parameters", []):
            if not param.get("description"):
                key = (param.get("in", ""), param.get("name", ""))
                if key in _PARAMETER_DESCRIPTIONS:
                    param["description"] = _PARAMETER_DESCRIPTIONS[key]
    return result


def _phrase(code: str) -> str:
    try:
        return HTTPStatus(int(code)).phrase + "."
    except ValueError:
        return code
