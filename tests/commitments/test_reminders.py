"""Reminders of commitments through the notification rules: before due, on the day, the
overdue digest, the escalation; exactly once; replanned when the due date moves. And the
«a commitment became yours» notice, sent at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest

from commitments import services
from commitments.models import Commitment
from notifications import services as notification_services
from notifications.choices import Channel, ReminderState, RuleCode
from notifications.models import Delivery, Reminder
from notifications.rules import tehran_at
from notifications.tasks import send_delivery_chunk
from organizations.choices import Role
from tests.factories import PersonFactory, member

from .conftest import NOW, days

pytestmark = pytest.mark.django_db


def sweep(at: Any) -> notification_services.SweepResult:
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        return notification_services.reminders_sweep(now=at)


def live(rule: str, **filters: Any) -> list[Reminder]:
    return list(
        Reminder.objects.filter(rule=rule, state=ReminderState.PENDING, **filters).order_by(
            "due_at", "recipient_id"
        )
    )


def test_before_due_and_on_the_day_to_the_responsible(
    make_commitment: Any, person_b: Any, staff_b: Any
) -> None:
    make_commitment(responsible=person_b)
    rows = live(RuleCode.COMMITMENT_DUE)
    assert [(r.kind, r.recipient_id) for r in rows] == [
        ("due:7d", staff_b.pk),
        ("due:1d", staff_b.pk),
        ("due:0d", staff_b.pk),
    ]
    assert rows[0].due_at == tehran_at(days(3), 9)


def test_without_a_responsible_the_party_staff_are_reminded(
    make_commitment: Any, staff_b: Any, org_b: Any
) -> None:
    other = member(org_b, Role.STAFF)
    make_commitment()
    assert {r.recipient_id for r in live(RuleCode.COMMITMENT_DUE)} == {staff_b.pk, other.pk}


def test_each_reminder_is_delivered_exactly_once(make_commitment: Any, person_b: Any) -> None:
    make_commitment(responsible=person_b)
    at = tehran_at(days(3), 9)
    first, second = sweep(at), sweep(at + timedelta(minutes=1))
    assert first.dispatched == 1
    assert (first.deliveries, second.deliveries) == (2, 0)  # in-app and e-mail, once
    reminder = Reminder.objects.get(rule=RuleCode.COMMITMENT_DUE, kind="due:7d")
    assert Delivery.objects.filter(reminder=reminder).count() == 2


def test_moving_the_due_date_replans_the_reminders(
    make_commitment: Any, person_b: Any, staff_a: Any
) -> None:
    commitment = make_commitment(responsible=person_b)
    services.commitment_update(actor=staff_a, commitment=commitment, due_date=days(20), now=NOW)
    rows = live(RuleCode.COMMITMENT_DUE)
    assert {r.due_at for r in rows} == {
        tehran_at(days(13), 9),
        tehran_at(days(19), 9),
        tehran_at(days(20), 9),
    }
    assert (
        Reminder.objects.filter(rule=RuleCode.COMMITMENT_DUE, state=ReminderState.CANCELLED).count()
        == 3
    )
    # The old time sends nothing.
    assert sweep(tehran_at(days(3), 9)).deliveries == 0


def test_done_cancels_what_was_pending(make_commitment: Any, person_b: Any, staff_b: Any) -> None:
    occ = make_commitment(responsible=person_b).occurrences.get()
    services.occurrence_complete(actor=staff_b, occurrence=occ, evidence_note="انجام", now=NOW)
    assert live(RuleCode.COMMITMENT_DUE) == []


def test_overdue_digest_daily_then_escalation_to_both_sides_managers(
    make_commitment: Any, person_b: Any, staff_b: Any, manager_a: Any, manager_b: Any
) -> None:
    make_commitment(responsible=person_b, due_date=days(-1))
    overdue = live(RuleCode.COMMITMENT_OVERDUE, kind__startswith="overdue:")
    # Created at noon: today's 09:00 digest has passed, the first is tomorrow's.
    assert [(r.kind, r.recipient_id) for r in overdue] == [
        (f"overdue:{days(1).isoformat()}", staff_b.pk)
    ]
    escalations = live(RuleCode.COMMITMENT_OVERDUE, kind="escalation:7d")
    assert {r.recipient_id for r in escalations} == {manager_a.pk, manager_b.pk}
    assert {r.due_at for r in escalations} == {tehran_at(days(6), 9)}
    # Digest of the day: sent once, then the next day's is planned.
    first = sweep(tehran_at(days(1), 9))
    assert first.dispatched == 1
    assert sweep(tehran_at(days(1), 9) + timedelta(minutes=1)).dispatched == 0
    assert live(RuleCode.COMMITMENT_OVERDUE, kind=f"overdue:{days(2).isoformat()}")


def test_the_assignment_notice_goes_out_at_once_in_app_and_by_email(
    make_commitment: Any, person_b: Any, staff_b: Any, staff_a: Any
) -> None:
    commitment = make_commitment(responsible=person_b)
    notice = Reminder.objects.get(rule=RuleCode.WORK_ASSIGNED, object_id=commitment.pk)
    assert notice.state == ReminderState.DISPATCHED
    assert notice.recipient_id == staff_b.pk
    channels = set(Delivery.objects.filter(reminder=notice).values_list("channel", flat=True))
    assert channels == {Channel.IN_APP, Channel.EMAIL}
    # An edit that does not change who is responsible announces nothing again.
    services.commitment_update(actor=staff_a, commitment=commitment, title="عنوان تازه", now=NOW)
    assert Delivery.objects.filter(reminder__rule=RuleCode.WORK_ASSIGNED).count() == 2
    assert sweep(NOW + timedelta(minutes=5)).deliveries == 0


def test_a_new_responsible_is_told_once(
    make_commitment: Any, person_b: Any, org_b: Any, staff_a: Any
) -> None:
    commitment: Commitment = make_commitment(responsible=person_b)
    newcomer = member(org_b, Role.STAFF, username="newcomer")
    person = PersonFactory(organization=org_b, user=newcomer)
    later = NOW + timedelta(hours=1)
    services.commitment_update(actor=staff_a, commitment=commitment, responsible=person, now=later)
    notices = Reminder.objects.filter(rule=RuleCode.WORK_ASSIGNED, recipient=newcomer)
    assert [r.state for r in notices] == [ReminderState.DISPATCHED]
    assert Delivery.objects.filter(reminder__in=notices).count() == 2
