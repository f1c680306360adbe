"""``migrate`` runs forward from the previous release's schema with data in it.

The upgrade procedure (docs/operations.md) migrates a database that holds rows; a
migration that only works on empty tables (a NOT NULL column without a default, a unique
constraint the data breaks) fails here instead of in production. ``PREVIOUS_RELEASE`` is
the migration state of the last release: move it forward when a release is cut.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.models import Agreement
from meetings.models import Meeting
from organizations.models import Organization

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

#: main before the wave of issues 12-18 (the last state that was deployed).
PREVIOUS_RELEASE = [
    ("organizations", "0002_list_order_indexes"),
    ("notifications", "0001_initial"),
    ("agreements", "0003_upcoming_indexes"),
    ("meetings", "0004_upcoming_indexes"),
]


@pytest.fixture
def scratch_database() -> Iterator[None]:
    """A database of its own, so the shared test database keeps its schema."""
    name = f"{connection.settings_dict['NAME']}_migrate_{os.getpid()}"
    original = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrate_forward_from_the_previous_release_keeps_the_rows(scratch_database):
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS_RELEASE)
    old = executor.loader.project_state(PREVIOUS_RELEASE).apps
    when = datetime(2020, 8, 1, 9, 0, tzinfo=UTC)  # 11 Mordad 1399, the reference meeting
    organization = old.get_model("organizations", "Organization").objects.create(
        name="شهرداری قدس", name_key="شهرداری قدس", kind="municipality"
    )
    old.get_model("meetings", "Meeting").objects.create(
        title="جلسه هماهنگی تفاهم‌نامه", start=when, host_id=organization.pk
    )
    old.get_model("agreements", "Agreement").objects.create(
        owning_organization_id=organization.pk,
        reference_number="ت/۱۳۹۹/۰۰۱",
        reference_key="ت/1399/001",
        title="تفاهم‌نامه همکاری",
        subject="خدمات شهری",
    )

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)

    applied = MigrationExecutor(connection).loader.applied_migrations
    assert set(leaves) <= set(applied)
    assert list(Organization.objects.values_list("name", flat=True)) == ["شهرداری قدس"]
    assert Meeting.objects.get().title == "جلسه هماهنگی تفاهم‌نامه"
    assert Agreement.objects.get().reference_number == "ت/۱۳۹۹/۰۰۱"


#: Tables that grow with use: an index built on them with a plain CREATE INDEX blocks writes
#: for as long as the build takes.
LARGE_MODELS = {
    ("meetings", "meeting"),
    ("meetings", "actionitem"),
    ("meetings", "attendance"),
    ("notifications", "reminder"),
    ("notifications", "delivery"),
    ("agreements", "agreement"),
    ("agreements", "historicalagreement"),
    ("agreements", "agreementstatuschange"),
}


def test_new_indexes_on_large_tables_are_built_concurrently():
    from django.contrib.postgres.operations import AddIndexConcurrently
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import AddIndex

    loader = MigrationLoader(None, ignore_no_migrations=True)
    released = set()
    for target in PREVIOUS_RELEASE:
        released |= set(loader.graph.forwards_plan(target))
    offenders = [
        f"{app}.{name}: {op.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if (app, name) not in released
        for op in migration.operations
        if isinstance(op, AddIndex)
        and not isinstance(op, AddIndexConcurrently)
        and (app, op.model_name.lower()) in LARGE_MODELS
    ]
    assert not offenders, "use AddIndexConcurrently (atomic = False): " + "; ".join(offenders)
