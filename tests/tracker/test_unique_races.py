"""A unique name or reference that a concurrent request wins: the loser gets the service's own
Persian 400, never the ``IntegrityError`` 500 (7 of 50 and 10 of 50 clients got one).

The race is made deterministic on PostgreSQL: the main thread inserts the same name in an open
transaction, the request in a second thread (its own connection) passes the service's check
(it cannot see the uncommitted row) and blocks on the unique index; the main thread then
commits, and the request's INSERT fails with the unique violation.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from agreements.models import Agreement
from organizations.choices import Role
from organizations.models import Organization
from organizations.services import NAME_TAKEN
from tests.factories import AgreementFactory, OrganizationFactory, member
from tracker.text import normalize

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["response"] = call()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _wait_until_blocked_on_a_lock(thread: threading.Thread, result: dict[str, Any]) -> None:
    """Until another backend of this database waits for a lock (the unique index entry)."""
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            if not thread.is_alive():
                response = result.get("response")
                pytest.fail(f"the request ended before the race: {response and response.content}")
            # The statistics views are a snapshot per transaction, and this one is open.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the concurrent request never reached the unique index")


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    # The first request imports every view module (seconds on a loaded machine): done here,
    # before the race, so the thread's request reaches the database promptly.
    client.get("/api/v1/organizations/")
    return client


def test_a_concurrently_registered_organisation_name_is_the_services_400() -> None:
    staff = member(OrganizationFactory(name="شهرداری قدس"), Role.STAFF)
    name = "شهرک صنعتی نصیرآباد"
    client = _client(staff)
    with transaction.atomic():
        Organization.objects.create(name=name, name_key=normalize(name), kind="industrial_estate")
        thread, result = _in_thread(
            lambda: client.post(
                "/api/v1/organizations/", {"name": name, "kind": "other"}, format="json"
            )
        )
        _wait_until_blocked_on_a_lock(thread, result)
    thread.join(60)

    response = result["response"]
    assert response.status_code == 400
    assert response.json()["name"] == [NAME_TAKEN]
    assert Organization.objects.filter(name=name).count() == 1


def test_a_concurrently_taken_agreement_reference_is_the_services_400() -> None:
    owner = OrganizationFactory(name="شهرداری قدس")
    staff = member(owner, Role.STAFF)
    reference = "ت/۱۴۰۳/۰۴۲"
    client = _client(staff)
    with transaction.atomic():
        AgreementFactory(owning_organization=owner, reference_number=reference)
        thread, result = _in_thread(
            lambda: client.post(
                "/api/v1/agreements/",
                {"owning_organization": owner.pk, "reference_number": reference, "title": "همکاری"},
                format="json",
            )
        )
        _wait_until_blocked_on_a_lock(thread, result)
    thread.join(60)

    response = result["response"]
    assert response.status_code == 400
    assert response.json()["reference_number"] == [
        "این شماره پیش‌تر برای تفاهم‌نامه دیگری ثبت شده است."
    ]
    assert Agreement.objects.filter(owning_organization=owner).count() == 1


def test_many_clients_creating_one_name_get_one_201_and_400s() -> None:
    staff = member(OrganizationFactory(name="شهرداری قدس"), Role.STAFF)
    barrier = threading.Barrier(6)

    def create() -> Any:
        client = _client(staff)
        barrier.wait(10)
        return client.post(
            "/api/v1/organizations/", {"name": "شهرک صنعتی قدس", "kind": "other"}, format="json"
        )

    runs = [_in_thread(create) for _ in range(6)]
    for thread, _ in runs:
        thread.join(20)

    statuses = sorted(result["response"].status_code for _, result in runs)
    assert statuses == [201, 400, 400, 400, 400, 400]
