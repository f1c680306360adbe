"""The maintained dashboard summaries under concurrent writers (the reviewer's reproductions,
/tmp/review/{deadlock,race,reg,rebuild_race}.py): real transactions in threads, each with
its own database connection.

- two transactions writing the same counts in opposite orders finish (no deadlock: the
  counts are insert-only delta logs);
- an action item added while its meeting's visibility changes is counted with the new one;
- registering a scope while a writer holds the facts answers from the rows (no 500);
- a rebuild and a concurrent writer leave no difference from a rebuild;
- two writers of the same counts do not wait for one another (no hot row).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from agreements.models import Agreement
from dashboard import summaries, tasks
from dashboard.models import ScopeItemTotal, ScopeStatusCount, SummaryScope
from dashboard.stats.action_items import action_item_stats
from dashboard.stats.by_status import agreements_by_status
from dashboard.stats.common import StatsFilters
from dashboard.stats.timeline import timeline
from meetings.models import ActionItem, Meeting
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _run(*targets: Callable[[], None]) -> list[str]:
    """Run each target in its own thread (and connection); the errors they raised."""
    errors: list[str] = []

    def wrapped(target: Callable[[], None]) -> None:
        try:
            target()
        except Exception as error:  # reported to the test
            errors.append(repr(error)[:300])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return errors


def test_opposite_order_writes_of_the_same_counts_do_not_deadlock() -> None:
    org = OrganizationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=org)
    meeting = MeetingFactory(host=org)
    day = meeting.start.date() + timedelta(days=10)

    def item(due: Any) -> int:
        return int(
            ActionItemFactory(
                meeting=meeting, owner_organization=org, owner_person=None, due_date=due
            ).pk
        )

    a, b, c, e = item(day), item(day + timedelta(days=1)), item(day + timedelta(days=1)), item(day)
    assert summaries.scope_id_for(user) is not None
    summaries.scope_id_for(UserFactory(is_superuser=True, is_staff=True))
    both_wrote_once = threading.Barrier(2, timeout=10)

    def cancel(first: int, second: int) -> Callable[[], None]:
        def work() -> None:
            with transaction.atomic():
                ActionItem.objects.filter(pk=first).update(status="cancelled")
                # Both hold their first counts' rows before either takes its second.
                both_wrote_once.wait()
                ActionItem.objects.filter(pk=second).update(status="cancelled")

        return work

    assert _run(cancel(a, b), cancel(c, e)) == []
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"cancelled"}
    assert summaries.differences_from_rebuild() == {}


def test_an_item_added_while_its_meeting_becomes_host_only_is_counted_host_only() -> None:
    host, participant = OrganizationFactory(), OrganizationFactory()
    viewer = UserFactory()
    MembershipFactory(user=viewer, organization=participant)
    meeting = MeetingFactory(host=host)
    meeting.participants.add(participant)
    scope = summaries.scope_id_for(viewer)
    assert scope is not None
    updated = threading.Event()

    def review() -> None:
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(needs_review=True)
            updated.set()
            time.sleep(1.0)  # the item is added meanwhile

    def add_item() -> None:
        assert updated.wait(10)
        with transaction.atomic():
            ActionItemFactory(
                meeting=meeting,
                owner_organization=host,
                owner_person=None,
                due_date=meeting.start.date() + timedelta(days=5),
            )

    assert _run(review, add_item) == []
    assert ActionItem.objects.filter(meeting=meeting).count() == 1
    assert not ScopeItemTotal.objects.filter(scope_id=scope).exclude(n=0).exists()
    assert summaries.differences_from_rebuild() == {}


def _answers(user: Any) -> list[dict[str, Any]]:
    """The three summary-backed answers (without their ``generated_at``)."""
    filters = StatsFilters()
    answers = [
        agreements_by_status(user=user, filters=filters),
        timeline(user=user, filters=filters),
        action_item_stats(user=user, filters=filters),
    ]
    return [{k: v for k, v in answer.items() if k != "generated_at"} for answer in answers]


def test_registering_a_scope_while_a_writer_holds_the_facts_answers_from_the_rows(
    monkeypatch: Any,
) -> None:
    host, participant = OrganizationFactory(), OrganizationFactory()
    meeting = MeetingFactory(host=host)
    meeting.participants.add(participant)
    item = ActionItemFactory(
        meeting=meeting,
        owner_organization=host,
        owner_person=None,
        due_date=meeting.start.date() + timedelta(days=5),
    )
    AgreementFactory(owning_organization=participant)
    viewer, twin = UserFactory(), UserFactory()
    MembershipFactory(user=viewer, organization=participant)
    MembershipFactory(user=twin, organization=participant)
    with monkeypatch.context() as patched:  # the answers from the rows, before the writer
        patched.setattr(summaries, "scope_id_for", lambda user: None)
        from_rows = _answers(twin)
    holding = threading.Event()
    answered: list[list[dict[str, Any]]] = []

    def writer() -> None:
        with transaction.atomic():
            ActionItem.objects.filter(pk=item.pk).delete()  # the item facts first
            holding.set()
            time.sleep(1.5)
            meeting.participants.remove(participant)  # then the meeting's fact

    def reader() -> None:
        assert holding.wait(10)
        answered.append(_answers(viewer))

    assert _run(writer, reader) == []
    # The reader did not wait for the writer: it answered from the rows, the same answer.
    assert len(answered) == 1
    assert answered[0] == from_rows
    assert not SummaryScope.objects.filter(signature=summaries._signature(viewer)[0]).exists()
    assert summaries.differences_from_rebuild() == {}
    # Once the writer has gone, the scope registers and is exact.
    assert summaries.scope_id_for(viewer) is not None
    assert summaries.differences_from_rebuild() == {}


def test_a_write_during_a_rebuild_leaves_no_difference() -> None:
    agreement = AgreementFactory(owning_organization=OrganizationFactory(), status="draft")
    summaries.scope_id_for(UserFactory(is_superuser=True, is_staff=True))
    rebuilt = threading.Event()

    def rebuild() -> None:
        with transaction.atomic():
            summaries.rebuild()
            rebuilt.set()
            time.sleep(1.0)

    def write() -> None:
        assert rebuilt.wait(10)
        Agreement.objects.filter(pk=agreement.pk).update(status="internal_review")

    assert _run(rebuild, write) == []
    assert summaries.differences_from_rebuild() == {}


def test_compaction_folds_the_deltas_and_keeps_the_answers() -> None:
    org = OrganizationFactory()
    viewer = UserFactory()
    MembershipFactory(user=viewer, organization=org)
    assert summaries.scope_id_for(viewer) is not None
    meeting = MeetingFactory(host=org)
    items = [
        ActionItemFactory(meeting=meeting, owner_organization=org, owner_person=None)
        for _ in range(3)
    ]
    ActionItem.objects.filter(pk=items[0].pk).update(status="cancelled")
    before = _answers(viewer)
    rows = ScopeItemTotal.objects.count()
    assert tasks.compact_summaries.run() > 0  # what beat runs hourly
    assert ScopeItemTotal.objects.count() < rows
    assert summaries.compact() == 0  # nothing left to fold
    call_command("rebuild_dashboard_summaries", "--compact")
    assert _answers(viewer) == before
    assert summaries.differences_from_rebuild() == {}


def test_writers_of_the_same_counts_do_not_wait_for_one_another() -> None:
    """The superuser's scope meets every agreement: with upserted counters, every writer
    of a status waited on its one row until the first writer committed."""
    org = OrganizationFactory()
    first, second = (AgreementFactory(owning_organization=org, status="draft") for _ in "ab")
    summaries.scope_id_for(UserFactory(is_superuser=True, is_staff=True))
    first_wrote, second_done = threading.Event(), threading.Event()
    waited: list[bool] = []

    def slow_writer() -> None:
        with transaction.atomic():
            Agreement.objects.filter(pk=first.pk).update(status="internal_review")
            first_wrote.set()
            # Still in flight: the other writer of the same counts finishes meanwhile.
            waited.append(not second_done.wait(5))

    def other_writer() -> None:
        assert first_wrote.wait(10)
        Agreement.objects.filter(pk=second.pk).update(status="internal_review")
        second_done.set()

    assert _run(slow_writer, other_writer) == []
    assert waited == [False]
    assert summaries.differences_from_rebuild() == {}


def test_a_scope_unused_for_a_month_is_dropped_and_registered_again_on_use() -> None:
    from django.utils import timezone

    from organizations.scoping import forget_scope

    org = OrganizationFactory()
    viewer = UserFactory()
    MembershipFactory(user=viewer, organization=org)
    AgreementFactory(owning_organization=org)
    scope = summaries.scope_id_for(viewer)
    before = _answers(viewer)
    # A lookup touches last_used_at (at most once a day).
    SummaryScope.objects.filter(pk=scope).update(last_used_at=timezone.now() - timedelta(days=2))
    forget_scope(viewer)
    delattr(viewer, "_tracker_summary_scope_id")
    assert summaries.scope_id_for(viewer) == scope
    touched = SummaryScope.objects.get(pk=scope).last_used_at
    assert touched > timezone.now() - timedelta(minutes=1)
    assert summaries.drop_unused_scopes() == 0
    SummaryScope.objects.filter(pk=scope).update(last_used_at=timezone.now() - timedelta(days=31))
    assert summaries.drop_unused_scopes() == 1
    assert not SummaryScope.objects.filter(pk=scope).exists()
    assert not ScopeStatusCount.objects.filter(scope_id=scope).exists()
    delattr(viewer, "_tracker_summary_scope_id")
    assert summaries.scope_id_for(viewer) not in (None, scope)
    assert _answers(viewer) == before
    assert summaries.differences_from_rebuild() == {}
