"""Browser: a staff member logs the seed meeting through «ثبت جلسه» and finds it in the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from meetings.models import Meeting
from organizations import demo as organizations_demo

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "جلسه هماهنگی آماده‌سازی پیش‌نویس تفاهم‌نامه شهرداری قدس و شهرک‌های صنعتی"
AGENDA = (
    "خدمات‌دهی شهرداری به شهرک‌های صنعتی بر مبنای قانون",
    "تعامل دوسویه شهرک‌های صنعتی و شهرداری",
    "برندسازی و جذب توریست صنعتی",
    "تأمین قطعات خودرویی",
)


def _row(page: Any, prefix: str, index: int) -> Any:
    """The inline row ``index`` of a formset, adding rows with the page's own button."""
    fieldset = page.locator(f"fieldset.formset[data-prefix='{prefix}']")
    while fieldset.locator("[data-row]").count() <= index:
        fieldset.locator("button.add-row").click()
    return fieldset


def test_log_the_seed_meeting_through_the_form(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    orgs = organizations_demo.load()
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/meetings/new/")

    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "coordination")
    page.select_option("#id_status", "held")
    page.fill("#id_start", "1399/05/11 10:00")
    page.keyboard.press("Escape")
    page.fill("#id_location", "محل شهرداری قدس")
    page.select_option("#id_host", str(orgs.municipality.pk))
    page.fill("#id_minutes", "شهردار قدس: برندسازی نیاز امروز در حوزه رشد تولید است.")
    page.fill("#id_source_publication", "روزنامه رسالت")
    page.fill("#id_source_issue", "۹۸۲۷")
    page.fill("#id_source_page", "۵ (شهرستان‌ها)")

    _row(page, "attendances", 0)
    page.select_option("#id_attendances-0-person", str(orgs.mayor.pk))
    page.select_option("#id_attendances-0-role", "chair")
    page.fill("#id_attendances-0-position_title", "شهردار قدس")
    _row(page, "attendances", 1)
    # He is registered (the demo data): typing his name as a new person would be refused
    # naming him (issue 13); choosing him fills his title and organisation.
    page.select_option("#id_attendances-1-person", str(orgs.director.pk))
    assert page.input_value("#id_attendances-1-position_title") == (
        "مدیر فنی و پیمان‌های شهرها و شهرک‌های صنعتی استان تهران"
    )
    assert page.input_value("#id_attendances-1-organization") == str(orgs.estates_company.pk)
    _row(page, "attendances", 2)
    page.fill("#id_attendances-2-group_label", "هیئت همراه")
    page.select_option("#id_attendances-2-organization", str(orgs.estates_company.pk))
    _row(page, "attendances", 3)
    page.fill("#id_attendances-3-group_label", "اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس")
    page.select_option("#id_attendances-3-organization", str(orgs.qods_estates.pk))
    for i, title in enumerate(AGENDA):
        _row(page, "agenda_items", i)
        page.fill(f"#id_agenda_items-{i}-title", title)

    with page.expect_navigation():
        page.locator("#meeting-form button[type=submit].primary").click()
    page.screenshot(path=str(artifacts_dir / "meetings-logged.png"), full_page=True)
    assert "/meetings/new/" not in page.url, page.locator(".errors").all_inner_texts()
    assert page.locator("h1").inner_text() == TITLE
    assert page.get_by_text("شنبه ۱۱ مرداد ۱۳۹۹").count() >= 1

    page.goto(live_server.url + "/meetings/?q=" + "شهرك صنعتي")  # Arabic ك/ي spelling
    row = page.locator("table tbody tr", has_text=TITLE)
    assert row.count() == 1
    page.screenshot(path=str(artifacts_dir / "meetings-list.png"), full_page=True)

    meeting = Meeting.objects.get(title=TITLE)
    labels = [a.display_name for a in meeting.attendances.order_by("order")]
    assert labels == [
        "مسعود مختاری",
        "بهزاد بهزادی",
        "هیئت همراه",
        "اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس",
    ]
    assert list(meeting.agenda_items.values_list("title", flat=True)) == list(AGENDA)
    # Typed in Persian digits, kept in Latin ones (shown in Persian): meetings/forms/widgets.py.
    assert meeting.source_issue == "9827"
