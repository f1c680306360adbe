"""Structured logs: a request id for every request and the tasks it enqueues, one line per
request and per task, JSON when ``LOG_FORMAT=json``, secrets scrubbed.

- ``RequestLogMiddleware`` (outermost) takes a sane incoming ``X-Request-ID`` or makes
  one, returns it in the response header, and logs ``request`` with method, path (never
  the query string: tokens travel there), view, status, duration and user id.
- Celery signals carry the id: ``before_task_publish`` adds a ``request_id`` message
  header when a request (or a task) is publishing; ``task_prerun`` reads it back in the
  worker; ``task_postrun`` logs ``task`` with name, id, state and duration.
- ``JsonFormatter`` writes one JSON object a line; ``ContextFilter`` puts the request id,
  the user id and the user's organisations on every record, so any log line of a request
  can be joined to it. The organisations (``organization_ids``: the organisations the user
  is a member of, not their subtrees) come from a provider that the organizations app
  registers in ``ready()`` (this module is the ground floor and imports no app): it reads
  the scope the request already computed, so a log line costs no query; only the
  per-request line of a request that never computed the scope asks the database once, and
  only when that line is written (``LOG_FORMAT=json``). A task carries the user id and
  organisations of the request that enqueued it, as message headers like the request id.

Checked first: django-structlog and python-json-logger. django-structlog brings structlog
and its own processors chain into every logger call of the project, and neither scrubs
values; python-json-logger would only replace ``JsonFormatter.format`` (30 lines), not the
request id plumbing that is the bulk here.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.utils.functional import empty

if TYPE_CHECKING:  # the settings import this module: no django.http at import time
    from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
organizations_var: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "organization_ids", default=None
)
#: The request being served (for the user and organisations of the lines it logs).
request_var: contextvars.ContextVar[Any] = contextvars.ContextVar("request", default=None)

#: ``provider(user, may_query=…)`` → the ids of the organisations ``user`` is a member of,
#: or None when unknown without a query. Registered by ``OrganizationsConfig.ready()``.
OrganizationsProvider = Callable[..., "list[int] | None"]
_organizations_provider: OrganizationsProvider | None = None


def register_organizations_provider(provider: OrganizationsProvider) -> None:
    global _organizations_provider  # one provider, set once by ready()
    _organizations_provider = provider


HEADER = "X-Request-ID"
#: An incoming id is kept only if it looks like one: it lands in every log line.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
#: ``password=…``, ``"token": "…"``, ``Authorization: Token …`` and the like.
_SECRET = re.compile(
    r"""(?i)((?:password|passwd|secret|token|api[_-]?key|authorization|sessionid|csrftoken)"""
    r"""["']?\s*[:=]\s*["']?)(?:(?:token|bearer|basic)\s+)?[^\s"'&,;}]+"""
)
_SECRET_KEYS = re.compile(r"(?i)password|secret|token|authorization|api[_-]?key|cookie")
#: Record attributes every LogRecord has: the rest are the ``extra=`` fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

request_logger = logging.getLogger("tracker.request")
task_logger = logging.getLogger("tracker.task")


def scrub(text: str) -> str:
    return _SECRET.sub(r"\1***", text)


def _scrub_value(key: str, value: Any) -> Any:
    if _SECRET_KEYS.search(key):
        return "***"
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_value(str(k), v) for k, v in value.items()}
    return value


def _request_user(request: Any) -> Any:
    """The request's user if authentication already ran (never a query of its own: the
    lazy ``request.user`` would load the session and the user, and the query pins count
    it); None otherwise or for an anonymous user."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if user is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped


def organizations_of(user: Any, *, may_query: bool = False) -> list[int] | None:
    if user is None or _organizations_provider is None:
        return None
    return _organizations_provider(user, may_query=may_query)


def _current_user_id() -> int | None:
    found = user_id_var.get()
    if found is None:
        pk = getattr(_request_user(request_var.get()), "pk", None)
        found = pk if isinstance(pk, int) else None
    return found


def _current_organizations() -> list[int] | None:
    found = organizations_var.get()
    if found is None:
        found = organizations_of(_request_user(request_var.get()))
    return found


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``organization_ids`` of the current request or
    task to each record (None where not known without a query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = _current_user_id()
        if not hasattr(record, "organization_ids"):
            record.organization_ids = _current_organizations()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO), level, logger, message, context, extras."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = _scrub_value(key, value)
        if record.exc_info:
            data["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False, default=str)


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if authentication already ran (no query)."""
    pk = getattr(_request_user(request), "pk", None)
    return pk if isinstance(pk, int) else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = request_id_var.set(request_id)
        user_token = user_id_var.set(None)
        organizations_token = organizations_var.set(None)
        request_token = request_var.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            user_id = _user_id(request)
            # One query at most, only for the line about to be written (LOG_FORMAT=json)
            # of a request that never computed the user's scope.
            organization_ids = organizations_of(
                _request_user(request), may_query=request_logger.isEnabledFor(logging.INFO)
            )
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user_id,
                    "organization_ids": organization_ids,
                },
            )
            return response
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)
            organizations_var.reset(organizations_token)
            request_var.reset(request_token)


# --- Celery --------------------------------------------------------------------------------
_started: dict[str, tuple[float, contextvars.Token[str | None]]] = {}


def add_request_id_header(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """The request id, user id and organisations of the publishing request (or task)."""
    if headers is None:
        return
    request_id = request_id_var.get()
    if request_id:
        headers.setdefault("request_id", request_id)
    user_id = _current_user_id()
    if user_id is not None:
        headers.setdefault("user_id", user_id)
    organization_ids = _current_organizations()
    if organization_ids is not None:
        headers.setdefault("organization_ids", organization_ids)


def _task_request_id(task: Any) -> str | None:
    request = getattr(task, "request", None)
    # A worker puts custom message headers on the request itself; ``apply()`` under
    # ``headers``.
    found = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get(
        "request_id"
    )
    return found if isinstance(found, str) and _SANE_ID.match(found) else None


def _task_header(task: Any, name: str) -> Any:
    request = getattr(task, "request", None)
    return getattr(request, name, None) or (getattr(request, "headers", None) or {}).get(name)


def task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None:
        return
    request_id = _task_request_id(task) or f"task-{task_id}"
    _started[task_id] = (time.perf_counter(), request_id_var.set(request_id))
    user_id = _task_header(task, "user_id")
    organization_ids = _task_header(task, "organization_ids")
    user_id_var.set(user_id if isinstance(user_id, int) else None)
    organizations_var.set(
        [i for i in organization_ids if isinstance(i, int)]
        if isinstance(organization_ids, list)
        else None
    )


def task_finished(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    begun = _started.pop(task_id, None) if task_id else None
    duration = round((time.perf_counter() - begun[0]) * 1000, 1) if begun else None
    task_logger.info(
        "%s %s",
        getattr(task, "name", "?"),
        state,
        extra={
            "event": "task",
            "task": getattr(task, "name", None),
            "task_id": task_id,
            "status": state,
            "duration_ms": duration,
        },
    )
    user_id_var.set(None)
    organizations_var.set(None)
    if begun:
        try:
            request_id_var.reset(begun[1])
        except ValueError:  # prerun ran in another context (a thread pool): just clear it
            request_id_var.set(None)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(add_request_id_header, dispatch_uid="tracker.logging.publish")
    task_prerun.connect(task_started, dispatch_uid="tracker.logging.prerun")
    task_postrun.connect(task_finished, dispatch_uid="tracker.logging.postrun")


def logging_config(base: dict[str, Any], *, fmt: str) -> dict[str, Any]:
    """``base`` (the settings' ``LOGGING``) with the context filter on every handler and
    the text or JSON formatter on the console; other entries are kept as they are."""
    json_logs = fmt == "json"
    config = {**base}
    config["filters"] = {**base.get("filters", {}), "context": {"()": ContextFilter}}
    config["formatters"] = {
        **base.get("formatters", {}),
        "json": {"()": JsonFormatter},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    handlers = {name: {**handler} for name, handler in base.get("handlers", {}).items()}
    for handler in handlers.values():
        handler["filters"] = [*handler.get("filters", []), "context"]
    handlers.setdefault("console", {"class": "logging.StreamHandler", "filters": ["context"]})
    handlers["console"]["formatter"] = "json" if json_logs else "text"
    config["handlers"] = handlers
    config["loggers"] = {
        **base.get("loggers", {}),
        # Text mode has runserver's and gunicorn's access lines already; the JSON line per
        # request and per task is the point of LOG_FORMAT=json.
        "tracker.request": {"level": "INFO" if json_logs else "WARNING"},
        "tracker.task": {"level": "INFO" if json_logs else "WARNING"},
    }
    return config
