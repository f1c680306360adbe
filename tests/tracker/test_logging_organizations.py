"""The log lines name the user's organisations (``organization_ids``: the organisations of
the user's memberships), at no query for a request that computed the user's scope, and
the tasks a request enqueues carry them with the user id."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from kombu import Connection

from organizations.choices import Role
from organizations.scoping import org_scope_for_user
from tests.factories import MembershipFactory, OrganizationFactory, member
from tracker.celery import app
from tracker.logging import JsonFormatter, RequestLogMiddleware

from .test_logging import noop

pytestmark = pytest.mark.django_db


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


@pytest.fixture
def two_org_user() -> tuple[Any, list[int]]:
    first, second = OrganizationFactory(), OrganizationFactory()
    user = member(first, Role.STAFF)
    MembershipFactory(user=user, organization=second, role=Role.VIEWER)
    # A child of the first: in the scope, not a membership, so not logged.
    OrganizationFactory(parent=first)
    return user, sorted([first.pk, second.pk])


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().get("/x")
    request.user = user
    return request


def test_the_request_line_and_every_line_inside_name_the_organisations(
    two_org_user: Any, caplog: Any, django_assert_num_queries: Any
) -> None:
    user, ids = two_org_user

    def view(request: HttpRequest) -> HttpResponse:
        org_scope_for_user(request.user)  # what every scoped selector does first
        logging.getLogger("tests.inside").warning("inside the view")
        return HttpResponse("ok")

    request = _request(user)
    # The scope's two queries; the log lines add none.
    with caplog.at_level(logging.INFO, logger="tracker.request"), django_assert_num_queries(2):
        RequestLogMiddleware(view)(request)
    (line,) = _lines(caplog, "tracker.request")
    assert line["organization_ids"] == ids
    assert line["user_id"] == user.pk
    (inside,) = _lines(caplog, "tests.inside")
    assert inside["organization_ids"] == ids
    assert inside["user_id"] == user.pk


def test_a_request_that_never_scoped_asks_once_and_only_for_a_written_line(
    two_org_user: Any, caplog: Any, django_assert_num_queries: Any
) -> None:
    user, ids = two_org_user

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    # One query (the memberships) for the line.
    with caplog.at_level(logging.INFO, logger="tracker.request"), django_assert_num_queries(1):
        RequestLogMiddleware(view)(_request(user))
    assert _lines(caplog, "tracker.request")[0]["organization_ids"] == ids
    caplog.clear()
    logging.getLogger("tracker.request").setLevel(logging.WARNING)
    try:
        with django_assert_num_queries(0):  # LOG_FORMAT=text: no request line, no query
            RequestLogMiddleware(view)(_request(user))
    finally:
        logging.getLogger("tracker.request").setLevel(logging.NOTSET)


def test_anonymous_and_superuser_lines(caplog: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    with caplog.at_level(logging.INFO, logger="tracker.request"):
        RequestLogMiddleware(lambda r: HttpResponse("ok"))(_request(AnonymousUser()))
        RequestLogMiddleware(lambda r: HttpResponse("ok"))(_request(root))
    anonymous, superuser = _lines(caplog, "tracker.request")
    assert anonymous["organization_ids"] is None
    assert anonymous["user_id"] is None
    assert superuser["organization_ids"] == []  # sees everything, member of nothing


def test_a_task_enqueued_by_the_request_carries_the_user_and_organisations(
    two_org_user: Any, caplog: Any
) -> None:
    user, ids = two_org_user
    with Connection("memory://") as conn:

        def view(request: HttpRequest) -> HttpResponse:
            org_scope_for_user(request.user)
            noop.apply_async((3,), connection=conn)  # type: ignore[call-arg]
            return HttpResponse("ok")

        RequestLogMiddleware(view)(_request(user))
        message = conn.SimpleQueue(app.conf.task_default_queue).get(timeout=2)
        headers = message.headers
        message.ack()
    assert (headers["user_id"], headers["organization_ids"]) == (user.pk, ids)
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="tracker.task"):
        noop.apply(
            (3,), headers={k: headers[k] for k in ("request_id", "user_id", "organization_ids")}
        )
    work = [r for r in caplog.records if r.name == "tests.noop"]
    assert (work[0].user_id, work[0].organization_ids) == (user.pk, ids)
    (line,) = _lines(caplog, "tracker.task")
    assert line["organization_ids"] == ids
