"""The operations page in the admin: last sweep, queue length, failed deliveries."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from notifications.choices import DeliveryStatus
from operations.selectors import operations_status
from tests.factories import UserFactory
from tracker import healthchecks
from tracker.celery import app

from .conftest import reminder_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_ping():
    # No worker runs in the suite; the page must not wait a second for each test.
    with mock.patch.object(app.control, "ping", return_value=[]):
        yield


def test_staff_see_the_sweep_queue_and_failed_deliveries(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    reminder_at(user, timezone.now() - timedelta(hours=1), kind="x", delivery=DeliveryStatus.FAILED)
    cache.set(
        healthchecks.LAST_SWEEP_KEY,
        {"at": "2026-12-03T09:00:00+00:00", "state": "SUCCESS", "result": {"dispatched": 7}},
    )
    client.force_login(user)
    response = client.get("/admin/operations/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "تحویل‌های ناموفق (۱)" in page
    assert "یادآوری x" in page
    # 09:00 UTC is 12:30 in Tehran, 12 Azar 1405; labels and digits Persian.
    assert "۱۴۰۵/۰۹/۱۲ ساعت ۱۲:۳۰" in page
    assert "2026-12-03" not in page
    assert "فرستاده به صف ارسال" in page
    assert "dispatched" not in page
    assert "<td>۷</td>" in page
    assert "طول صف" in page
    assert "پایگاه داده" in page
    assert "زمان‌بند کارهای دوره‌ای" in page
    assert "کارگرهای پس‌زمینه" in page
    assert "صف پیام" in page
    assert "هیچ کارگری پاسخ نمی‌دهد" in page  # no worker in the suite
    for english in (">database<", ">stale<", ">none<", ">SUCCESS", "broker", "celery"):
        assert english not in page


def test_others_are_sent_to_the_admin_login(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get("/admin/operations/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("failed", [1, 30])
def test_status_query_count_does_not_grow_with_failures(django_assert_num_queries, failed):
    user = UserFactory()
    when = timezone.now() - timedelta(hours=1)
    for i in range(failed):
        reminder_at(user, when, kind=f"f{i}", delivery=DeliveryStatus.FAILED)
    # 1: the health check's SELECT 1; 2: the count of failed deliveries; 3: the newest 20
    # with their reminder and recipient in one join.
    with django_assert_num_queries(3):
        status = operations_status()
    assert status.failed_count == failed
    assert len(status.failed_recent) == min(failed, 20)
