"""Browser: typing over a prefilled Jalali date replaces it, and the picker follows what
is typed (static/js/jalali-inputs.js)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from organizations import demo as organizations_demo

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_over_a_prefilled_date_replaces_it(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    organizations_demo.load()
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/meetings/new/")
    start = page.locator("#id_start")

    def blur() -> None:
        # Leave the input; Persian digits come back once the picker's 300 ms hide is over.
        page.locator("#id_title").click()
        page.wait_for_timeout(400)

    start.click()
    page.keyboard.type("۱۴۰۰/۱۲/۲۹ ۱۰:۳۰")
    blur()
    assert start.input_value() == "۱۴۰۰/۱۲/۲۹ ۱۰:۳۰"

    # fill() focuses, selects everything, then types: the old value must go.
    start.fill("۱۴۰۰/۱۲/۲۸ ۰۹:۰۰")
    blur()
    assert start.input_value() == "۱۴۰۰/۱۲/۲۸ ۰۹:۰۰"

    # Click, select all, type over it.
    start.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("۱۳۹۹/۰۵/۱۱ ۱۰:۰۰")
    # The picker follows the typed date: it shows Mordad 1399, not today's month.
    picker = page.locator("jdp-container")
    assert picker.is_visible()
    header = picker.evaluate("c => [...c.querySelectorAll('select, input')].map(e => e.value)")
    page.screenshot(path=str(artifacts_dir / "jalali-typed-over.png"))
    blur()
    assert start.input_value() == "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰"
    assert "1399" in header, header
    assert "5" in header, header

    # Keyboard focus (Tab) selects the value; typing replaces it.
    page.locator("#id_status").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_start"
    page.keyboard.type("1399/05/12 11:00")
    blur()
    assert start.input_value() == "۱۳۹۹/۰۵/۱۲ ۱۱:۰۰"
