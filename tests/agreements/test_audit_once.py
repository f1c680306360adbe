"""One audit record per purpose: a status move is one AgreementStatusChange (the intent) and
no simple-history row; a field edit is one history row and no status change. The party
window orders the two by the lock version each records, not by their times."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements import selectors, services
from agreements.choices import AgreementStatus
from agreements.models import Agreement

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _counts(agreement: Agreement) -> tuple[int, int]:
    return agreement.history.count(), agreement.status_changes.count()


def test_a_move_writes_one_status_change_and_no_history_row(draft: Agreement, staff_a: Any):
    before = _counts(draft)
    services.agreement_transition(
        actor=staff_a, agreement=draft, to=AgreementStatus.INTERNAL_REVIEW, now=NOW
    )
    assert _counts(draft) == (before[0], before[1] + 1)
    change = draft.status_changes.latest("id")
    draft.refresh_from_db()
    assert (change.to_status, change.lock_version) == ("internal_review", draft.lock_version)
    assert draft.lock_version == 2


def test_an_edit_writes_one_history_row_and_no_status_change(draft: Agreement, staff_a: Any):
    before = _counts(draft)
    services.agreement_update(
        actor=staff_a, agreement=draft, expected_lock_version=1, title="عنوان دیگر"
    )
    assert _counts(draft) == (before[0] + 1, before[1])
    # The history holds fields only: the status is the change rows' record.
    assert not hasattr(draft.history.latest(), "status")


def test_the_creation_records_lock_version_one(draft: Agreement):
    assert draft.status_changes.get().lock_version == 1


def test_field_history_shows_no_status_move(draft: Agreement, staff_a: Any):
    services.agreement_transition(
        actor=staff_a, agreement=draft, to=AgreementStatus.INTERNAL_REVIEW, now=NOW
    )
    history = selectors.agreement_field_history(user=staff_a, agreement=draft)
    assert [h["type"] for h in history] == ["created"]


def test_party_window_holds_for_a_move_dated_before_the_internal_edit(
    draft: Agreement, staff_a: Any, manager_a: Any, viewer_b: Any
):
    """The internal edit is saved now; the moves are dated a year earlier (``now`` given).
    By times the internal edit would look later than the handover; by lock version it is
    before it and stays hidden, while the edit made in negotiation is shown."""
    services.agreement_update(
        actor=staff_a, agreement=draft, expected_lock_version=1, title="عنوان داخلی محرمانه"
    )
    early = NOW - timedelta(days=365)
    for to in ("internal_review", "legal_review", "negotiation"):
        services.agreement_transition(
            actor=manager_a, agreement=draft, to=to, now=early, reason="داخلی"
        )
    draft.refresh_from_db()
    services.agreement_update(
        actor=staff_a,
        agreement=draft,
        expected_lock_version=draft.lock_version,
        subject="موضوع مذاکره",
    )
    theirs = selectors.agreement_field_history(user=viewer_b, agreement=draft)
    assert [[f["field"] for f in h["fields"]] for h in theirs] == [["subject"]]
    assert "عنوان داخلی محرمانه" not in str(theirs)
    window = selectors.agreement_party_window(user=viewer_b, agreement=draft)
    assert window is not None
    assert window.since is not None
    assert window.since.at == early
    mine = selectors.agreement_field_history(user=staff_a, agreement=draft)
    assert [h["type"] for h in mine] == ["created", "changed", "changed"]


# --- the migration keeps the existing audit ------------------------------------------------------

BEFORE = [("agreements", "0004_choice_checks_drop_covered_indexes")]
AFTER = [("agreements", "0005_status_change_lock_version")]


@pytest.fixture
def scratch_database() -> Iterator[None]:
    """A database of its own, so the shared test database keeps its schema."""
    name = f"{connection.settings_dict['NAME']}_audit_{os.getpid()}"
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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_migration_anchors_old_moves_and_drops_only_their_history_rows(scratch_database):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    org = old.get_model("organizations", "Organization").objects.create(
        name="شهرداری قدس", name_key="شهرداری قدس", kind="municipality"
    )
    agreement = old.get_model("agreements", "Agreement").objects.create(
        owning_organization_id=org.pk,
        reference_number="ت/۱",
        reference_key="ت/1",
        title="الف",
        status="internal_review",
        lock_version=4,
    )
    history = old.get_model("agreements", "HistoricalAgreement")
    t0 = datetime(2020, 8, 1, 9, 0, tzinfo=UTC)
    t1, t2 = t0 + timedelta(days=1), t0 + timedelta(days=2)

    def row(kind: str, *, lock: int, status: str, since: datetime, title: str) -> Any:
        return history.objects.create(
            id=agreement.pk,
            owning_organization_id=org.pk,
            reference_number="ت/۱",
            title=title,
            status=status,
            status_changed_at=since,
            lock_version=lock,
            history_type=kind,
            history_date=since + timedelta(hours=lock),
            created_at=t0,
            updated_at=t0,
        )

    created = row("+", lock=1, status="draft", since=t0, title="الف")
    edit = row("~", lock=2, status="draft", since=t0, title="ب")
    move = row("~", lock=3, status="internal_review", since=t1, title="ب")
    later_edit = row("~", lock=4, status="internal_review", since=t1, title="الف")
    changes = old.get_model("agreements", "AgreementStatusChange")
    first = changes.objects.create(agreement_id=agreement.pk, to_status="draft", at=t0)
    second = changes.objects.create(
        agreement_id=agreement.pk, from_status="draft", to_status="internal_review", at=t1
    )
    # A move with no history row of its own (written outside the services).
    third = changes.objects.create(
        agreement_id=agreement.pk,
        from_status="internal_review",
        to_status="internal_review",
        at=t2 + timedelta(days=9),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    anchors = dict(
        new.get_model("agreements", "AgreementStatusChange").objects.values_list(
            "id", "lock_version"
        )
    )
    # The third has no row of its own: it takes the newest history row saved before it.
    assert anchors == {first.pk: 1, second.pk: 3, third.pk: 4}
    kept = set(
        new.get_model("agreements", "HistoricalAgreement").objects.values_list(
            "history_id", flat=True
        )
    )
    assert kept == {created.history_id, edit.history_id, later_edit.history_id}
    assert move.history_id not in kept
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
