"""A running import does not block the people editing what it imports into (two connections).

The import runs the whole file in one transaction, so whatever it locks stays locked until it
commits. It used to lock the organisation's row for each person it registered (the duplicate
name check), so a colleague saving that organisation waited for the whole import; later an
advisory lock per (organisation, folded name), held until commit, which exhausted the shared
lock table on a large file. Now a unique partial index on (organisation, folded name) refuses
a concurrent duplicate (the insert waits only for the transaction that holds that one name),
and the organisation's edit takes ``FOR NO KEY UPDATE``, which the import's foreign-key
references (``FOR KEY SHARE``) do not block.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction

from imports import services as import_services
from imports.services import import_job_create, import_job_run
from organizations.models import Organization, Person
from organizations.services import organization_update, person_create

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

#: A blocked statement fails after this instead of hanging the test.
LOCK_TIMEOUT = "3s"


def _people_file(org: Any, n: int) -> SimpleUploadedFile:
    rows = [["نام و نام خانوادگی", "سمت", "سازمان"]]
    rows += [[f"شخص {i}", "کارشناس", org.name] for i in range(n)]
    return SimpleUploadedFile("people.csv", csv_bytes(rows), content_type="text/csv")


def _import_paused_before_commit(
    monkeypatch: Any, job_id: int
) -> tuple[threading.Thread, threading.Event, threading.Event, dict[str, Any]]:
    """Run the job in a thread (its own connection) that stops after every row is applied,
    inside the run's transaction, until ``release`` is set."""
    paused, release = threading.Event(), threading.Event()
    finish = import_services._finish
    result: dict[str, Any] = {}

    def pausing_finish(*args: Any, **kwargs: Any) -> None:
        paused.set()
        release.wait(30)
        finish(*args, **kwargs)

    monkeypatch.setattr(import_services, "_finish", pausing_finish)

    def run() -> None:
        try:
            result["status"] = import_job_run(job_id=job_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert paused.wait(30), "the import did not reach its last row"
    return thread, paused, release, result


def test_an_organisation_edit_is_not_blocked_by_an_import_of_people_into_it(
    org_a: Any, staff_a: Any, admin_a: Any, monkeypatch: Any
) -> None:
    job = import_job_create(actor=staff_a, kind="people", upload=_people_file(org_a, 20))
    thread, _, release, result = _import_paused_before_commit(monkeypatch, job.pk)
    try:
        # The import holds its transaction open with 20 people of org_a inserted.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            started = time.monotonic()
            organization_update(actor=admin_a, organization=org_a, city="تبریز")
            waited = time.monotonic() - started
        # Another person of the same organisation, registered meanwhile, is not blocked either.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            person_create(actor=staff_a, organization=org_a, full_name="همکار دیگر")
    finally:
        release.set()
        thread.join(30)
    assert waited < 1.0
    assert result["status"] == "done"
    assert Organization.objects.get(pk=org_a.pk).city == "تبریز"
    assert Person.objects.filter(organization=org_a).count() == 21


def test_the_same_name_registered_meanwhile_waits_for_the_import_and_is_refused(
    org_a: Any, staff_a: Any, monkeypatch: Any
) -> None:
    """The unique index still serialises one folded name in one organisation: a form
    registering «شخص ۳» in another spelling waits on the index entry of the import's
    uncommitted row, then is refused with the Persian error naming the import's person."""
    job = import_job_create(actor=staff_a, kind="people", upload=_people_file(org_a, 5))
    thread, _, release, result = _import_paused_before_commit(monkeypatch, job.pk)
    outcome: dict[str, Any] = {}

    def register() -> None:
        try:
            person_create(actor=staff_a, organization=org_a, full_name="شخص ۳")
            outcome["saved"] = True
        except ValidationError as exc:
            outcome["error"] = exc.message_dict
        finally:
            connections.close_all()

    second = threading.Thread(target=register)
    try:
        second.start()
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND wait_event = 'transactionid'"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the second registration did not wait for the import")
        assert not outcome
    finally:
        release.set()
        thread.join(30)
        second.join(30)
    assert result["status"] == "done"
    assert "«شخص 3»" in outcome["error"]["full_name"][0]  # the import's row, named
    assert Person.objects.filter(organization=org_a).count() == 5


def test_no_lock_is_held_per_registered_name(org_a: Any, staff_a: Any, monkeypatch: Any) -> None:
    """An import keeps no lock per person it registers (the advisory locks it used to hold
    until commit ran out of shared memory on a large file)."""
    job = import_job_create(actor=staff_a, kind="people", upload=_people_file(org_a, 20))
    thread, _, release, result = _import_paused_before_commit(monkeypatch, job.pk)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            advisory = cursor.fetchone()[0]
    finally:
        release.set()
        thread.join(30)
    assert result["status"] == "done"
    assert advisory == 0
