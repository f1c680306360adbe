"""Browser: «ثبت از روی متن» logs the seed meeting from its text in at most 5 interactions.

An interaction is what a person does on the page: paste the text, press a button, change a
field. Opening the page by its address is not counted (a click on «ثبت از روی متن» in the
list would be one more, and is checked separately: the link is there).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting
from organizations import demo as organizations_demo

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The seed as design.md places it (``../shared/seed/`` beside the checkout), else the copy
# the reader's tests keep (the same bytes).
SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "qods-mou-coordination-meeting.fa.txt"
LOCAL_SEED = (
    Path(__file__).resolve().parent.parent / "meetings" / "intake" / "reports" / "seed-qods.fa.txt"
)
TITLE = "جلسه هماهنگی آماده‌سازی پیش‌نویس تفاهم‌نامه شهرداری قدس و شهرک‌های صنعتی"
MAX_INTERACTIONS = 5


def _seed_text() -> str:
    return (SEED if SEED.exists() else LOCAL_SEED).read_text(encoding="utf-8")


def test_log_the_seed_meeting_from_its_text(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    orgs = organizations_demo.load()
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/meetings/")
    assert page.get_by_role("link", name="ثبت از روی متن").count() == 1
    page.goto(live_server.url + "/meetings/from-text/")
    interactions = 0

    page.fill("#id_text", _seed_text())  # 1: paste
    interactions += 1
    with page.expect_navigation():
        page.get_by_role("button", name="خواندن متن").click()  # 2: read (a preview)
    interactions += 1
    assert page.locator("#from-text-preview").count() == 1, page.locator(
        ".errors"
    ).all_inner_texts()
    page.screenshot(path=str(artifacts_dir / "from-text-review.png"), full_page=True)
    # Nothing is written by reading.
    assert Meeting.objects.count() == 0

    # The uncertain readings are highlighted with the text they came from: the date (the
    # report's own date line, no time in the text) and the title.
    start_row = page.locator("tr.needs-review", has=page.locator("#preview-start"))
    assert start_row.count() == 1
    assert "شنبه ۱۱ مرداد ۱۳۹۹" in start_row.inner_text()
    assert page.locator(".cell-title.needs-review").count() == 1
    # Persian digits everywhere: the source's issue and page too.
    assert "شماره ۹۸۲۷، صفحه ۵" in page.locator("#preview-source").inner_text()

    page.fill("#id_title", TITLE)  # 3: the one correction (the report glues two words)
    interactions += 1
    with page.expect_navigation():
        page.get_by_role("button", name="ذخیره و تأیید").click()  # 4: save
    interactions += 1
    page.screenshot(path=str(artifacts_dir / "from-text-saved.png"), full_page=True)
    assert "/from-text/" not in page.url, page.locator(".errors").all_inner_texts()
    assert interactions <= MAX_INTERACTIONS
    assert page.locator("h1").inner_text() == TITLE
    assert page.get_by_text("شنبه ۱۱ مرداد ۱۳۹۹").count() >= 1
    assert page.get_by_text("نیازمند بازبینی").count() == 0

    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.needs_review is False
    assert meeting.host == orgs.municipality
    assert meeting.status == "held"
    assert timezone.localtime(meeting.start).date() == date(2020, 8, 1)
    assert meeting.location == "شهرداری قدس"
    rows = [
        (a.display_name, a.role, a.organization_id) for a in meeting.attendances.order_by("order")
    ]
    assert rows == [
        ("مسعود مختاری", "chair", orgs.municipality.pk),
        ("بهزاد بهزادی", "member", orgs.estates_company.pk),
        ("هیئت همراه", "member", orgs.estates_company.pk),
        ("اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس", "member", orgs.qods_estates.pk),
    ]
    attendances = list(meeting.attendances.order_by("order"))
    assert attendances[0].person == orgs.mayor
    assert attendances[1].person == orgs.director
    statements = list(meeting.statements.order_by("order"))
    # The headline repeats the mayor's last words: it is the title candidate, not a statement.
    assert len(statements) == 4
    assert {s.speaker_id for s in statements} == {attendances[0].pk}
    assert statements[3].text.endswith("برند سازی کرد.")
    assert set(meeting.participants.all()) == {orgs.estates_company, orgs.qods_estates}
    assert (meeting.source_publication, meeting.source_issue, meeting.source_page) == (
        "رسالت",
        "9827",
        "5",
    )
    assert meeting.source_date == date(2020, 8, 1)


def test_cancelling_a_reading_leaves_nothing_and_a_second_reading_finds_the_first(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    organizations_demo.load()
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/meetings/from-text/")
    page.fill("#id_text", _seed_text())
    with page.expect_navigation():
        page.get_by_role("button", name="خواندن متن").click()
    # «انصراف» on the preview: no stray draft (issue 13, item 1).
    with page.expect_navigation():
        page.get_by_role("link", name="انصراف").click()
    assert page.url.endswith("/meetings/")
    assert Meeting.objects.count() == 0

    # Read again and keep it as a draft to review in the form.
    page.goto(live_server.url + "/meetings/from-text/")
    page.fill("#id_text", _seed_text())
    with page.expect_navigation():
        page.get_by_role("button", name="خواندن متن").click()
    with page.expect_navigation():
        page.get_by_role("button", name="ذخیره و ویرایش").click()
    assert "/edit/" in page.url
    draft = Meeting.objects.get()
    assert draft.needs_review is True
    page.goto(live_server.url + "/meetings/")
    assert page.locator("span.tag", has_text="نیازمند بازبینی").count() == 1

    # The same text once more: said in Persian, with a link to the meeting (item 2).
    page.goto(live_server.url + "/meetings/from-text/")
    page.fill("#id_text", _seed_text())
    with page.expect_navigation():
        page.get_by_role("button", name="خواندن متن").click()
    page.screenshot(path=str(artifacts_dir / "from-text-duplicate.png"), full_page=True)
    said = page.locator(".cell-text .field-error").inner_text()
    assert "پیش‌تر برای «شهرداری قدس» ثبت شده است" in said
    assert page.locator("#id_allow_duplicate").count() == 1
    link = page.locator("#duplicate-link")
    assert link.get_attribute("href") == draft.get_absolute_url()
    assert Meeting.objects.count() == 1
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(draft.get_absolute_url())
