"""The notifications demo data loads twice without changing anything the second time."""

import pytest

from notifications import demo
from notifications.models import Reminder, ReminderRule
from notifications.rules import DEFAULT_RULES

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent() -> None:
    demo.load()
    counts = (ReminderRule.objects.count(), Reminder.objects.count())
    demo.load()
    assert counts == (ReminderRule.objects.count(), Reminder.objects.count())
    assert counts[0] == len(DEFAULT_RULES)
