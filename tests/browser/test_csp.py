"""The Content-Security-Policy in a real browser: the admin and Swagger UI work under it,
and an inline script is blocked and reported (so the page fixture's check can fail)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_is_blocked_and_reported(
    page: Any, live_server: Any, csp_violations: list[str]
) -> None:
    page.goto(live_server.url + "/accounts/login/")

    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.injected = 1"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("window.injected") is None
    assert csp_violations, "chromium reported no violation"
    csp_violations.clear()  # expected here; any other test fails on one


@pytest.fixture
def superuser(db: Any) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-1234")


def test_swagger_ui_renders_under_the_policy(page: Any, live_server: Any, superuser: Any) -> None:
    from tests.browser.conftest import login

    login(page, live_server, "root", "pw-1234")
    page.goto(live_server.url + "/api/v1/docs/")

    page.wait_for_selector(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 5


def test_admin_works_under_the_policy(page: Any, live_server: Any, superuser: Any) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "pw-1234")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/organizations/organization/add/")

    assert page.locator("#organization_form").count() == 1
    page.goto(live_server.url + "/admin/auth/user/")
    page.check("#action-toggle")  # actions.js: the "select all" box ticks every row
    assert page.locator("input.action-select:checked").count() == 1
