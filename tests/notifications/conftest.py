"""Fixtures of the notifications tests: a fixed clock, the token planner, recording SMS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.notifications.fakes import PLANNER, RecordingSmsProvider
from tracker.jalali import TEHRAN

#: Tuesday 10 Tir 1404, 10:00 in Tehran: every test's "now".
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=TEHRAN)


@pytest.fixture(autouse=True)
def _notification_settings(settings: Any) -> None:
    settings.NOTIFICATIONS_EXTRA_PLANNERS = [PLANNER]
    settings.SMS_PROVIDER = "tests.notifications.fakes.RecordingSmsProvider"
    settings.SITE_URL = "https://tracker.example.ir"
    RecordingSmsProvider.sent.clear()


@pytest.fixture
def now() -> datetime:
    return NOW
