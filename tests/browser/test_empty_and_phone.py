"""Browser: a dashboard with nothing in it says so on every chart (no axes at zero), and on
a phone the meeting page's attendees are cards like the action items (nothing cut off)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from meetings import demo as meetings_demo
from organizations.choices import Role
from tests.factories import OrganizationFactory, member

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_an_empty_dashboard_says_there_is_nothing_yet(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from dashboard.cache import bump_generation

    bump_generation()
    organization = OrganizationFactory(name="شهرداری تازه")
    member(organization, Role.MANAGER, username="tazeh")
    login(page, live_server, "tazeh", "pass-1234")
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-chart]').length === 0")
    notes = page.locator("[data-chart-empty]")
    assert notes.count() == 4
    assert all("هنوز داده‌ای" in t for t in notes.all_inner_texts())
    page.screenshot(path=str(artifacts_dir / "dashboard-empty.png"), full_page=True)


def test_attendees_are_cards_on_a_phone(page: Any, live_server: Any, artifacts_dir: Path) -> None:
    seed = meetings_demo.load()
    page.set_viewport_size(PHONE)
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/meetings/{seed.pk}/")
    page.screenshot(path=str(artifacts_dir / "phone-meeting-detail.png"), full_page=True)
    table = page.locator("table.attendance")
    assert "cards" in (table.get_attribute("class") or "")
    assert table.locator("thead").bounding_box()["height"] <= 1
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    wrap = page.locator(".table-wrap", has=table)
    assert wrap.evaluate("w => w.scrollWidth - w.clientWidth") <= 0
    # Every cell of every attendee is on screen.
    for box in table.locator("td").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect()).map(r => [r.left, r.right])"
    ):
        assert box[0] >= 0, box
        assert box[1] <= PHONE["width"], box
    # The detail page offers the draft MoU (the user is staff of the host).
    assert page.get_by_text("پیش‌نویس تفاهم‌نامه از این جلسه").count() == 1
