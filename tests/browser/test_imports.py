"""The page «ورود اطلاعات از فایل» in chromium: upload a CSV, watch the progress bar follow
the job (polled JSON), read the preview, confirm, get the report; on a phone-sized screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from imports.models import ImportJob
from imports.services import import_job_run, progress_key
from organizations.choices import Role
from organizations.models import Person
from tests.browser.conftest import login
from tests.factories import OrganizationFactory, member

PASSWORD = "pass-1234"  # UserFactory's password


@pytest.mark.django_db(transaction=True)
def test_upload_preview_progress_confirm_and_report(
    live_server: Any, page: Any, artifacts_dir: Path, monkeypatch: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # No worker here: the test runs the job itself, where a worker would.
    monkeypatch.setattr("imports.services.current_app.send_task", lambda name, args: None)
    municipality: Any = OrganizationFactory(name="شهرداری قدس")
    member(municipality, Role.STAFF, username="karshenas_i")
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "نام و نام خانوادگی,سمت,سازمان\n"
        "مریم احمدی,کارشناس,شهرداري قدس\n"
        "علی رضایی,مدیر,شهرداری قدس\n",
        encoding="utf-8-sig",
    )

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "karshenas_i", PASSWORD)
    page.goto(f"{live_server.url}/imports/")
    assert page.locator("h1").inner_text() == "ورود اطلاعات از فایل"
    page.select_option("select[name=kind]", "people")
    page.set_input_files("input[name=file]", str(csv_file))
    with page.expect_navigation():
        page.click("button:has-text('بارگذاری و پیش‌نمایش')")

    preview = ImportJob.objects.get()
    assert page.locator("#import-bar").get_attribute("max") == "2"
    assert page.inner_text("#import-status") == "در صف"
    # The run has begun (what the worker writes to the cache): the polling moves the bar.
    cache.set(progress_key(preview.pk), {"done": 1, "total": 2}, 60)
    page.wait_for_selector("#import-bar[value='1']", state="attached")
    assert page.inner_text("#import-status") == "در حال اجرا"
    assert page.inner_text("#import-count") == "۱ از ۲ ردیف"
    page.screenshot(path=str(artifacts_dir / "imports-progress.png"), full_page=True)

    # The job finishes: the page reloads itself and shows the preview's report.
    with page.expect_navigation():
        import_job_run(job_id=preview.pk)
    page.wait_for_selector("#import-report")
    assert "ایجاد: ۲" in page.inner_text("#import-report")
    assert not Person.objects.exists()
    assert page.locator(".import-preview tbody tr").count() == 2
    page.screenshot(path=str(artifacts_dir / "imports-preview.png"), full_page=True)

    with page.expect_navigation():
        page.click("button:has-text('تأیید و ورود')")
    real = ImportJob.objects.get(confirms=preview)
    with page.expect_navigation():
        import_job_run(job_id=real.pk)
    page.wait_for_selector("#import-report")
    assert "ایجاد: ۲" in page.inner_text("#import-report")
    assert Person.objects.count() == 2
    assert page.locator("#import-bar").get_attribute("value") == "2"

    page.goto(f"{live_server.url}/imports/")
    assert page.locator("table tbody tr").count() == 2
    # Nothing sticks out of a phone's screen.
    width = page.locator("main").bounding_box()
    assert width is not None
    assert width["width"] <= 390
