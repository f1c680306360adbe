"""Browser: the meeting page's cancel form asks what becomes of the open action items (two
radio buttons, one required) under the Content-Security-Policy, and cancels them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from meetings.models import Meeting
from organizations.choices import Role
from tests.factories import ActionItemFactory, MeetingFactory, OrganizationFactory, member

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cancelling_asks_about_the_open_items(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    host = OrganizationFactory(name="شهرداری قدس")
    member(host, Role.STAFF, username="karshenas")
    meeting = MeetingFactory(host=host, start=timezone.now() + timedelta(days=2))
    for _ in range(3):
        ActionItemFactory(meeting=meeting)
    login(page, live_server, "karshenas", "pass-1234")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    form = page.locator("form.cancel-form")
    assert "این جلسه ۳ اقدام باز دارد" in form.inner_text()
    assert form.locator("input[type=radio][name=open_items]").count() == 2
    form.locator("input[name=reason]").fill("تعویق")
    # No choice yet: the browser does not send the form (the radios are required).
    form.locator("button[type=submit]").click()
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"
    page.screenshot(path=str(artifacts_dir / "meeting-cancel-open-items.png"), full_page=True)
    form.locator("input[value=cancel]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "جلسه لغو شد" in page.inner_text("body")
    statuses = set(meeting.action_items.values_list("status", flat=True))
    assert statuses == {"cancelled"}
