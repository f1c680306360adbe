"""Browser, phone width: the meeting and action-item lists are cards, nothing scrolls
sideways, and the «انجام شد»/«واگذاری» buttons are on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from meetings import demo as meetings_demo
from meetings.models import ActionItem
from organizations import demo as organizations_demo

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_lists_stack_into_cards_on_a_phone(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    organizations_demo.load()
    meetings_demo.load()
    assert ActionItem.objects.filter(status="open").exists()
    page.set_viewport_size(PHONE)
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    for path, shot in (
        ("/meetings/", "phone-meetings.png"),
        ("/meetings/action-items/", "phone-action-items.png"),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=str(artifacts_dir / shot), full_page=True)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("w => w.scrollWidth - w.clientWidth") <= 0, path
        assert page.locator("table.cards thead").first.bounding_box()["height"] <= 1
        # The long filter form folds to one line on a phone until it is opened.
        assert page.evaluate("document.querySelector('details.filter-box').open") is False
    page.goto(live_server.url + "/meetings/?q=قدس")
    # With a filter applied it stays open, so the user sees what is filtering the list.
    assert page.evaluate("document.querySelector('details.filter-box').open") is True
    page.goto(live_server.url + "/meetings/action-items/")
    for label in ("انجام شد", "واگذاری"):
        button = page.get_by_text(label, exact=True).first
        box = button.bounding_box()
        assert box is not None, label
        assert box["x"] >= 0, (label, box)
        assert box["x"] + box["width"] <= PHONE["width"], (label, box)
