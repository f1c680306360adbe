"""Schemathesis over the whole API: no 5xx and every response as the OpenAPI schema says.

The schema is drf-spectacular's own (the one /api/v1/schema/ serves); each operation gets a
bounded, derandomised set of generated requests (valid and invalid ones), sent through the
WSGI application with the read-write token of the demo staff user «karshenas» (staff of
شهرداری قدس), over the demo data.

Database: the demo data and the token are written once for the module, committed
(``django_db_blocker``), and flushed at the end; each operation's test runs inside
pytest-django's transaction (``django_db``), rolled back afterwards. So operations see the
same starting rows whatever order they run in, the writes of one (POST/PATCH) do not leak
into the next, and there is no per-test TRUNCATE as ``transaction=True`` would do (35
operations x a full flush, and the module's rows would be gone after the first). Services
are ``@transaction.atomic`` (savepoints), so a refused write does not break the outer
transaction.

``make fuzz`` runs this module with ``FUZZ_EXAMPLES`` (150 by default: more than 5,000 cases
over the operations) instead of 10 per operation, and with schemathesis' two data checks
(valid data accepted, invalid data refused) recorded beside the gating checks; the counts and
every finding go to ``tests/artifacts/fuzz-summary.json`` (docs/api.md reports the last run).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from agreements.models import Agreement
from meetings.models import ActionItem, Meeting
from organizations.models import Organization, Person
from tracker.wsgi import application

RAW_SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

#: Examples per operation: 10 in ``make test``; ``make fuzz`` sets ``FUZZ_EXAMPLES``.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
MAX_EXAMPLES = FUZZ_EXAMPLES or 10
#: Recorded, not gating: a request valid by the schema can still break a rule only the
#: service knows (an end before the start, a host the user is not staff of), so these are
#: read and judged one by one (docs/api.md), not asserted.
DATA_CHECKS = [positive_data_acceptance, negative_data_rejection]
SUMMARY = Path(__file__).parent / "artifacts" / "fuzz-summary.json"
#: What the fuzz run saw: cases per status class, and each finding once.
TALLY: Counter[str] = Counter()
FINDINGS: dict[str, dict[str, Any]] = {}

#: Ids of the demo rows per resource ("meetings" -> [...]), filled by the fixture: random
#: ids nearly always miss (404), so the hook below points half of them at real rows.
EXISTING: dict[str, list[int]] = {}


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    if not path_parameters:
        return path_parameters
    resource = context.operation.path.strip("/").split("/")[2]
    ids = EXISTING.get(resource)
    value = path_parameters.get("id")
    if ids and isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
        path_parameters["id"] = ids[value // 2 % len(ids)]
        if "number" in path_parameters:
            path_parameters["number"] = 1
    return path_parameters


def _unrouted(case: Any) -> bool:
    try:
        resolve(unquote(case.formatted_path))
    except Resolver404:
        return True
    return False


@pytest.fixture(scope="module")
def token(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo data and a read-write token of «karshenas», committed for the module."""
    from organizations.services import api_token_create

    # Django's handler closes the connection when a request ends (CONN_MAX_AGE=0), which
    # would end the test's transaction mid-test; its test client unhooks this the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        try:
            call_command("load_demo", stdout=StringIO())
            user = get_user_model().objects.get(username="karshenas")
            row, key = api_token_create(actor=user, name="schemathesis", read_only=False)
            EXISTING.update(
                {
                    "meetings": list(Meeting.objects.values_list("pk", flat=True)),
                    "action-items": list(ActionItem.objects.values_list("pk", flat=True)),
                    "agreements": list(Agreement.objects.values_list("pk", flat=True)),
                    "organizations": list(Organization.objects.values_list("pk", flat=True)),
                    "people": list(Person.objects.values_list("pk", flat=True)),
                    "tokens": [row.pk],
                }
            )
            started = time.monotonic()
            yield key
            if FUZZ_EXAMPLES:
                _write_summary(time.monotonic() - started)
        finally:
            # No migration inserts rows (no RunPython): flushing restores the empty database.
            call_command("flush", "--noinput", verbosity=0)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _finding(kind: str, case: Any, response: Any, error: BaseException) -> None:
    label = f"{case.method} {case.path}"
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else kind
    key = f"{kind} | {label} | {response.status_code} | {first_line[:120]}"
    TALLY[f"finding:{kind}"] += 1
    entry = FINDINGS.setdefault(
        key,
        {
            "kind": kind,
            "operation": label,
            "status": response.status_code,
            "message": str(error)[:600],
            "example_path": case.formatted_path,
            "example_query": case.query,
            "example_body": repr(case.body)[:300],
            "response": response.content[:300].decode("utf-8", "replace"),
            "count": 0,
        },
    )
    entry["count"] += 1


def _write_summary(seconds: float) -> None:
    SUMMARY.parent.mkdir(exist_ok=True)
    body = {
        "examples_per_operation": MAX_EXAMPLES,
        "cases": TALLY["cases"],
        "seconds": round(seconds),
        "tally": dict(sorted(TALLY.items())),
        "findings": sorted(FINDINGS.values(), key=lambda f: (f["kind"], f["operation"])),
    }
    SUMMARY.write_text(json.dumps(body, ensure_ascii=False, indent=1, default=str))


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, token: str) -> None:
    response = case.call(headers={"Authorization": f"Token {token}"})
    TALLY["cases"] += 1
    TALLY[f"status:{response.status_code // 100}xx"] += 1
    if response.status_code == 404 and response.content.lstrip()[:1] == b"<":
        TALLY["html_404"] += 1
    if _unrouted(case):
        # Invalid path parameters («0.5», «%C2%84») match no route: Django's HTML 404 page
        # answers before any API view runs. That is one bug of tracker/views.py, tested on
        # its own below; the example is still held to «no 5xx, a 404».
        assert response.status_code == 404
        return
    # Every operation must conform: no known-bug exceptions are kept (the last ones, list
    # shapes and nullable fields of the agreement actions, were fixed).
    if FUZZ_EXAMPLES:
        try:
            case.validate_response(response, checks=DATA_CHECKS)
        except BaseExceptionGroup as error:  # schemathesis' FailureGroup; recorded, not gating
            _finding("data", case, response, error)
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseExceptionGroup as error:
            _finding("gate", case, response, error)
            raise
        return
    case.validate_response(response, checks=CHECKS)


def test_unrouted_api_paths_answer_json_404(client: Any) -> None:
    response = client.get("/api/v1/meetings/0.5/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
