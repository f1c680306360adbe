"""The home page in a real browser: right-to-left Persian with the Vazirmatn font loaded."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
def test_karshenas_sees_a_right_to_left_persian_home_in_vazirmatn(
    live_server, page, artifacts_dir, settings
):
    call_command("load_demo")
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "fa"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Vazirmatn'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1
    assert "شهرداری قدس" in page.inner_text("main")
    page.screenshot(path=str(artifacts_dir / "home-karshenas.png"), full_page=True)
