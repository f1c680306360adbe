"""Retention purges old sent deliveries and dead reminders, and nothing newer or pending."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.models import AgreementStatusChange
from notifications.choices import DeliveryStatus, ReminderState
from notifications.models import Delivery, Reminder
from notifications.retention import notifications_purge_old
from operations.tasks import purge_old_notifications
from tests.factories import UserFactory

from .conftest import reminder_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory()


def test_purges_old_sent_and_keeps_new_pending_and_failed(user):
    now = timezone.now()
    old = now - timedelta(days=600)
    new = now - timedelta(days=500)
    gone = [
        reminder_at(user, old, kind="sent-old"),
        reminder_at(user, old, kind="expired-old", state=ReminderState.EXPIRED, delivery=None),
        reminder_at(user, old, kind="cancel-old", state=ReminderState.CANCELLED, delivery=None),
    ]
    kept = [
        reminder_at(user, new, kind="sent-new"),
        reminder_at(user, new, kind="expired-new", state=ReminderState.EXPIRED, delivery=None),
        reminder_at(user, old, kind="pending-old", state=ReminderState.PENDING, delivery=None),
        reminder_at(user, old, kind="delivery-pending", delivery=DeliveryStatus.PENDING),
        reminder_at(user, old, kind="delivery-failed", delivery=DeliveryStatus.FAILED),
    ]
    kept_deliveries = set(Delivery.objects.filter(reminder__in=kept).values_list("pk", flat=True))
    history = AgreementStatusChange.objects.count()

    result = notifications_purge_old(now=now, batch_size=2)

    assert result.deliveries == 1
    assert result.reminders == 3
    assert not Reminder.objects.filter(pk__in=[r.pk for r in gone]).exists()
    assert set(Reminder.objects.values_list("pk", flat=True)) == {r.pk for r in kept}
    assert set(Delivery.objects.values_list("pk", flat=True)) == kept_deliveries
    assert AgreementStatusChange.objects.count() == history


def test_batches_cover_more_rows_than_one_batch(user):
    old = timezone.now() - timedelta(days=700)
    for i in range(5):
        reminder_at(user, old, kind=f"r{i}")
    result = notifications_purge_old(batch_size=2)
    assert (result.deliveries, result.reminders) == (5, 5)
    # 3 batches of deliveries (2+2+1) and 3 of reminders.
    assert result.batches == 6
    assert not Reminder.objects.exists()


def test_the_age_is_configurable_and_a_tiny_one_refused(user, settings):
    reminder_at(user, timezone.now() - timedelta(days=100))
    settings.NOTIFICATIONS_RETENTION_DAYS = 90
    assert purge_old_notifications() == {"deliveries": 1, "reminders": 1, "batches": 2}
    with pytest.raises(ValueError, match="30 days"):
        notifications_purge_old(days=18)


def test_running_twice_removes_nothing_the_second_time(user):
    reminder_at(user, timezone.now() - timedelta(days=600))
    notifications_purge_old()
    second = notifications_purge_old()
    assert (second.deliveries, second.reminders, second.batches) == (0, 0, 0)
