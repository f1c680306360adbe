"""The agreements' time-driven job: its task, its beat entry, the old name kept a release."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings

from agreements import services, tasks
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from notifications import tasks as notification_tasks
from tracker.celery import app as celery_app

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def test_the_expiry_task_calls_the_agreements_expiry_service() -> None:
    with mock.patch("agreements.services.agreements_expire_due", return_value=2) as expire:
        assert tasks.expire_due_agreements.run() == 2
    expire.assert_called_once_with()


def test_the_expiry_task_expires_an_agreement_in_force_past_its_expiry(
    org_a: Any, staff_a: Any
) -> None:
    a = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="due", title="due"
    )
    Agreement.objects.filter(pk=a.pk).update(
        status=AgreementStatus.IN_FORCE,
        effective_date=TODAY - timedelta(days=400),
        expiry_date=TODAY - timedelta(days=1),
    )
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert tasks.expire_due_agreements.run() == 1
        assert tasks.expire_due_agreements.run() == 0  # safe to run twice
    a.refresh_from_db()
    assert a.status == AgreementStatus.EXPIRED


def test_the_beat_schedule_runs_the_agreements_task_every_fifteen_minutes() -> None:
    [entry] = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.EXPIRE_DUE_TASK
    ]
    assert entry["schedule"] == crontab(minute="*/15")
    names = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    # What a worker does on start: import every app's tasks module (run alone, this test's
    # process has not imported operations.tasks or imports.tasks yet).
    celery_app.loader.import_default_modules()
    assert names <= set(celery_app.tasks), "every beat entry names a registered task"


def test_the_old_notifications_task_name_is_still_registered_and_runs_the_new_task() -> None:
    old = "notifications.tasks.advance_time_driven_workflow"
    assert old in celery_app.tasks  # beat files and queued messages of the last release
    assert notification_tasks.EXPIRE_DUE_TASK == tasks.EXPIRE_DUE_TASK
    with mock.patch("agreements.services.agreements_expire_due", return_value=3) as expire:
        assert celery_app.tasks[old].run() == 3
    expire.assert_called_once_with()
