"""The OpenAPI schema covers the whole API and is generated without a single warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

HOOK = "dashboard.openapi.add_error_responses"
SPECTACULAR: dict[str, Any] = settings.SPECTACULAR_SETTINGS


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings_and_validates(tmp_path: Path) -> None:
    # --fail-on-warn turns every drf-spectacular warning and error into a failure; the
    # warnings name the view and the field, so the message points at the fix. A choice set
    # shared across apps ("status", "role") without a name in ENUM_NAME_OVERRIDES is one.
    call_command(
        "spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml")
    )

    assert (tmp_path / "schema.yaml").stat().st_size > 1000


def _api_routes(resolver: Any = None, prefix: str = "") -> list[str]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _api_routes(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("api/v1/"):
            routes.append(pattern)
    return routes


def test_every_api_route_is_in_the_schema() -> None:
    import re

    documented = {re.sub(r"\{[^}]+\}", "{}", path) for path in _schema()["paths"]}
    missing = []
    for route in _api_routes():
        if route.startswith(("api/v1/schema", "api/v1/docs")) or "(?P<format>" in route:
            continue
        if route.endswith(".+/$"):  # the JSON 404 of every unrouted path: not an operation
            continue
        path = "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]+\)", "{}", route)
        path = path.replace("^", "").replace("$", "").replace("\\.", ".")
        if path not in documented:
            missing.append(path)

    assert missing == []


def test_every_operation_documents_success_and_its_errors() -> None:
    gaps = []
    schema = _schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if not any(code.startswith("2") for code in codes):
                gaps.append(f"{method.upper()} {path}: no 2xx")
            needed = {"401", "403", "429"}
            if "{" in path:
                needed.add("404")
            if method in ("post", "put", "patch"):
                needed.add("400")
            if needed - codes:
                gaps.append(f"{method.upper()} {path}: missing {sorted(needed - codes)}")
            if not (operation.get("description") or operation.get("summary")):
                gaps.append(f"{method.upper()} {path}: no description")
            for param in operation.get("parameters", []):
                if param["in"] == "query" and not param.get("description"):
                    gaps.append(f"{method.upper()} {path}: ?{param['name']} undescribed")

    assert gaps == []


def test_the_error_hook_is_registered_in_settings() -> None:
    # Setting POSTPROCESSING_HOOKS replaces drf-spectacular's default list, so the enum hook
    # must be named again beside ours.
    hooks = SPECTACULAR["POSTPROCESSING_HOOKS"]
    assert "drf_spectacular.hooks.postprocess_schema_enums" in hooks
    assert HOOK in hooks


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


#: Streamed files: ConditionalGetMiddleware tags no streamed answer, so no 304.
STREAMED = ("/api/v1/exports/",)
#: Files (attachment downloads, the agreement's documents): not JSON, no 304 documented.
FILES = ("/download/", "/document.pdf", "/document.docx")


def test_every_get_documents_its_304_and_the_if_none_match_header() -> None:
    gaps = []
    for path, method, operation in _operations(_schema()):
        if method != "get":
            continue
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if path.startswith(STREAMED) or path.endswith(FILES):
            assert "304" not in operation["responses"], path
            continue
        if "304" not in operation["responses"]:
            gaps.append(f"GET {path}: no 304")
        if "If-None-Match" not in headers:
            gaps.append(f"GET {path}: no If-None-Match")

    assert gaps == []


def _jalali_date_filters() -> set[str]:
    from agreements.filters import AgreementFilter
    from meetings.filters import ActionItemFilter, MeetingFilter
    from tracker.filters import JalaliDateFilter

    return {
        name
        for filterset in (AgreementFilter, MeetingFilter, ActionItemFilter)
        for name, filter_ in filterset.base_filters.items()
        if isinstance(filter_, JalaliDateFilter)
    }


def test_query_dates_are_strings_that_say_they_read_jalali() -> None:
    # A `format: date` would make generated clients and Swagger's "try it out" refuse
    # «۱۴۰۳/۰۱/۰۱», which the server reads.
    names = _jalali_date_filters()
    seen, gaps = set(), []
    for path, method, operation in _operations(_schema()):
        if path.startswith(STREAMED) or path.endswith(FILES):
            continue
        for param in operation.get("parameters", []):
            schema = param.get("schema", {})
            if param["in"] != "query" or (
                param["name"] not in names and schema.get("format") != "date"
            ):
                continue
            seen.add(param["name"])
            where = f"{method.upper()} {path} ?{param['name']}"
            if schema.get("type") != "string" or "format" in schema:
                gaps.append(f"{where}: {schema}")
            if "jalali" not in param.get("description", "").lower():
                gaps.append(f"{where}: the description does not say Jalali")
            if not schema.get("example"):
                gaps.append(f"{where}: no example")

    assert {"date_from", "date_to", "due_after", "signed_date_from"} <= seen
    assert gaps == []


def test_agreement_versions_do_not_advertise_the_agreement_filters() -> None:
    operation = _schema()["paths"]["/api/v1/agreements/{id}/versions/"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}

    assert names.isdisjoint({"status", "q", "province", "party", "ordering", "signed_date_from"})
    assert {"page", "cursor"} <= names


def test_the_error_schema_allows_field_errors() -> None:
    import jsonschema

    schema = _schema()
    validator = jsonschema.Draft4Validator(
        {**schema["components"]["schemas"]["Error"], "components": schema["components"]}
    )
    bodies = [
        {"detail": "پیدا نشد."},
        {"title": ["این فیلد لازم است."], "start": ["تاریخ نیست."]},
        {"non_field_errors": ["پایان باید پس از آغاز باشد."]},
        # A list of rows answers one object per row; a list field given a non-list, an object.
        {"parties": [{}, {"organization": ["شناسه درستی نیست."]}]},
        {"parties": {"non_field_errors": ["فهرست بفرستید."]}},
        {"detail": "انتقال ممکن نیست.", "to": ["انتقال ممکن نیست."], "guards": ["امضا"]},
    ]

    for body in bodies:
        validator.validate(body)
    assert not validator.is_valid({"detail": 1})
    assert not validator.is_valid({"title": "a bare string"})


def test_every_response_and_parameter_is_described() -> None:
    gaps = []
    for path, method, operation in _operations(_schema()):
        for code, response in operation["responses"].items():
            if not response.get("description", "").strip():
                gaps.append(f"{method.upper()} {path} {code}")
        for param in operation.get("parameters", []):
            if not param.get("description", "").strip():
                gaps.append(f"{method.upper()} {path} {param['in']} {param['name']}")

    assert gaps == []


def test_request_dates_read_jalali_and_responses_stay_iso() -> None:
    """What the API reads is Jalali or ISO (a string with a Jalali example, no ``format``
    that would make a client refuse «1403/01/01»); what it writes is ISO (``format``)."""
    components = _schema()["components"]["schemas"]
    request = components["ActionItemCreateInputRequest"]["properties"]["due_date"]
    assert "format" not in request
    assert request["example"] == "1403/01/01"
    assert "Jalali" in request["description"]
    start = components["MeetingInputRequest"]["properties"]["start"]
    assert "format" not in start
    assert "Jalali" in start["description"]
    assert components["ActionItemOutput"]["properties"]["due_date"]["format"] == "date"
    assert components["MeetingListOutput"]["properties"]["start"]["format"] == "date-time"
    # And every request component's date-like property says so: none is left ``format: date``.
    for name, component in components.items():
        if not name.endswith("Request"):
            continue
        for prop, spec in component.get("properties", {}).items():
            assert spec.get("format") not in ("date", "date-time"), (name, prop)
