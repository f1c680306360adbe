"""Shared fixtures. With CI=true a missing PostgreSQL or Redis fails the run, never skips.

Without ``DATABASE_URL`` the suite runs on the embedded PostgreSQL server under ``var/``
(the one ``make run`` uses; the tests get their own database on it, ``test_tracker`` or
``TEST_DB_NAME``, one per xdist worker). The first process that needs it starts it and that
process stops it at the end; a server already running (``make run``) is left running.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from organizations.choices import Role
from tests.factories import OrganizationFactory, member
from tracker.settings.embedded_postgres import EmbeddedPostgres

IN_CI = os.environ.get("CI", "").lower() == "true"
_STARTED_HERE = pytest.StashKey[EmbeddedPostgres]()


def pytest_configure(config: pytest.Config) -> None:
    """In CI the real services are a requirement: refuse to run on the embedded defaults.

    Elsewhere, without ``DATABASE_URL``, start the embedded server before any test needs it
    (in the xdist controller, before the workers exist; a worker finds it running)."""
    if not IN_CI:
        if not os.environ.get("DATABASE_URL"):
            server = EmbeddedPostgres(Path(settings.VAR_DIR))
            if server.start():
                config.stash[_STARTED_HERE] = server
        return
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError("CI=true needs DATABASE_URL pointing at PostgreSQL.")
    if not redis_url.startswith("redis://"):
        raise pytest.UsageError("CI=true needs REDIS_URL pointing at Redis.")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise pytest.UsageError(f"CI=true and Redis at {redis_url} does not answer: {exc}") from exc


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make test`` (pytest-xdist, ``--dist loadgroup``) the browser tests share one
    worker and the real-worker Celery tests another, so that at most one chromium and one
    Celery worker compete with the rest of the suite for the cores (each of those tests has
    a time limit)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif item.get_closest_marker("celery_integration"):
            item.add_marker(pytest.mark.xdist_group("celery"))


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_STARTED_HERE, None)
    if server is not None:
        server.stop()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def org_a(db: Any) -> Any:
    return OrganizationFactory(name="شهرداری الف")


@pytest.fixture
def org_b(db: Any) -> Any:
    return OrganizationFactory(name="شهرداری ب")


@pytest.fixture
def staff_a(org_a: Any) -> Any:
    return member(org_a, Role.STAFF, username="staff_a")


@pytest.fixture
def staff_b(org_b: Any) -> Any:
    return member(org_b, Role.STAFF, username="staff_b")


@pytest.fixture
def viewer_a(org_a: Any) -> Any:
    return member(org_a, Role.VIEWER, username="viewer_a")


@pytest.fixture
def manager_a(org_a: Any) -> Any:
    return member(org_a, Role.MANAGER, username="manager_a")


@pytest.fixture
def admin_a(org_a: Any) -> Any:
    return member(org_a, Role.ADMIN, username="admin_a")


@pytest.fixture
def client_for(api_client: APIClient) -> Any:
    """``client_for(user)``: an API client authenticated as ``user`` (session auth)."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make
