"""django-axes' admin pages are Persian and Jalali: columns, filters, actions, the rows'
names (titles, delete confirmations) and times, with Persian digits."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 12:30 in Tehran, 12 Azar 1405
JALALI = "۱۴۰۵/۰۹/۱۲ ساعت ۱۲:۳۰"
ENGLISH = (
    "Locked Out",
    "Attempt Remaining",
    "Clean up",
    "Status",
    "Attempted Access",
    "Access Log for",
    "Failed access",
    "Access attempt expiration",
    "Not set",
)


def _rows() -> dict[str, Any]:
    common = {
        "ip_address": "10.0.0.7",
        "user_agent": "ua",
        "path_info": "/login/",
        "http_accept": "*/*",
    }
    attempt = AccessAttempt.objects.create(
        username="karshenas", failures_since_start=11, get_data="", post_data="", **common
    )
    log = AccessLog.objects.create(username="modir", logout_time=WHEN, **common)
    failure = AccessFailureLog.objects.create(username="nazer", locked_out=True, **common)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.update(attempt_time=WHEN)
    return {"accessattempt": attempt, "accesslog": log, "accessfailurelog": failure}


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    body = html[html.find('id="content"') :]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def admin_client_fa(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_changelists_are_persian_and_jalali(admin_client_fa: Client) -> None:
    _rows()
    for model in ("accessattempt", "accesslog", "accessfailurelog"):
        text = _text(admin_client_fa, f"/admin/axes/{model}/")
        assert JALALI in text, model
        assert "2026" not in text, model  # no Gregorian date hierarchy or time
        for english in ENGLISH:
            assert english not in text, (model, english)
    attempts = _text(admin_client_fa, "/admin/axes/accessattempt/")
    assert "وضعیت" in attempts
    assert "قفل شده" in attempts
    assert "۱۱" in attempts
    assert "پاک کردن تلاش‌های منقضی" in attempts
    assert "قفل‌شده" in attempts  # the filter's title


def test_change_and_delete_pages_name_the_row_in_persian(admin_client_fa: Client) -> None:
    rows = _rows()
    for model, row in rows.items():
        for page in ("change", "delete"):
            text = _text(admin_client_fa, f"/admin/axes/{model}/{row.pk}/{page}/")
            assert JALALI in text, (model, page)
            assert "10.0.0.7" in text
            for english in ENGLISH:
                assert english not in text, (model, page, english)
    change = _text(admin_client_fa, f"/admin/axes/accessattempt/{rows['accessattempt'].pk}/change/")
    assert "پایان قفل: تعیین نشده" in change
    assert "ورودهای ناموفق: ۱۱" in change


def test_an_attempt_with_failures_left_says_how_many(
    admin_client_fa: Client, settings: Any
) -> None:
    rows = _rows()
    AccessAttempt.objects.filter(pk=rows["accessattempt"].pk).update(failures_since_start=3)
    text = _text(admin_client_fa, "/admin/axes/accessattempt/")
    assert "تلاش باقی مانده" in text
