"""drf-spectacular post-processing: the error answers every operation can give.

Each view documents its own success and domain errors; the errors that come from the
framework around every view (401 without credentials, 403 for a refused token or role,
404 for an unknown id or page, 400 for a bad filter, 429 when throttled) are added here
once, referring to the shared ``Error`` component, unless the view documented them itself.
"""

from __future__ import annotations

from typing import Any

_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_DESCRIPTIONS = {
    "400": "Invalid input or filter; one key per field with Persian messages.",
    "401": "Missing, invalid, expired or revoked credentials.",
    "403": "Signed in, but the role or a read-only token does not allow this.",
    "404": "Not found or not visible to this user (or no such page).",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}


def _error_component(result: dict[str, Any]) -> None:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "description": "The body of every 4xx answer.",
            "properties": {"detail": {"type": "string"}},
            "additionalProperties": True,
        },
    )


def add_error_responses(result: dict[str, Any], generator: Any, **_: Any) -> dict[str, Any]:
    _error_component(result)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["401", "403", "429"]
            params = operation.get("parameters", [])
            if "{" in path or any(p.get("name") == "page" for p in params):
                codes.append("404")
            if method in ("post", "put", "patch") or any(p.get("in") == "query" for p in params):
                codes.append("400")
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
