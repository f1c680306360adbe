"""«ثبت از روی متن» and the review form; statements on the meeting form, page and minutes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from meetings.models import Meeting, Statement
from organizations.choices import Role
from tests.factories import member

from .test_from_text_api import SEED
from .test_views import _form_data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class _FormValues(HTMLParser):
    """What a browser posts back for a form left untouched: inputs, textareas, selects."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("checkbox", "submit"):
            self.data[name] = a.get("value") or ""
        elif tag == "input" and name and "checked" in a:
            self.data[name] = a.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def _management(html: str) -> dict[str, Any]:
    form = html[html.index('id="meeting-form"') :]
    form = form[: form.index("</form>")]
    # The empty row <template> is not posted.
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    parser = _FormValues()
    parser.feed(form)
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    for name, textarea in list(data.items()):
        if isinstance(textarea, str) and textarea.startswith("\n"):
            data[name] = textarea[1:]
    return data


def test_the_page_is_for_staff_only(qods: dict[str, Any]) -> None:
    assert _client(qods["staff"]).get("/meetings/from-text/").status_code == 200
    viewer = member(qods["municipality"], Role.VIEWER, username="v")
    assert _client(viewer).get("/meetings/from-text/").status_code == 403
    listing = _client(qods["staff"]).get("/meetings/").content.decode()
    assert "/meetings/from-text/" in listing
    assert "ثبت از روی متن" in listing


def test_nothing_to_read_is_a_persian_form_error_that_keeps_the_text(
    qods: dict[str, Any],
) -> None:
    response = _client(qods["staff"]).post("/meetings/from-text/", {"text": "سلام و درود"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "پیدا نشد" in html
    assert "سلام و درود</textarea>" in html
    assert Meeting.objects.count() == 0


def test_read_review_and_save_with_confirmation(qods: dict[str, Any]) -> None:
    client = _client(qods["staff"])
    response = client.post("/meetings/from-text/", {"text": SEED, "step": "save"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/meetings/{meeting.pk}/edit/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "خوانده‌شده از متن" in html
    # The start is highlighted with the report's date line it came from.
    assert re.search(r'class="cell cell-start needs-review"', html)
    assert "<mark>شنبه ۱۱ مرداد ۱۳۹۹</mark>" in html
    assert 'name="confirm" value="1"' in html
    assert "statements-TOTAL_FORMS" in html
    # The participant estates company does not see the draft, not even its edit page.
    assert _client(qods["company_staff"]).get(f"/meetings/{meeting.pk}/").status_code == 404

    data = _management(html)
    data["title"] = "جلسه هماهنگی پیش‌نویس تفاهم‌نامه"
    data["confirm"] = "1"
    saved = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert saved.status_code == 302, re.findall(
        r"field-error\">([^<]*)<|errors[^>]*>(.*?)</div>", saved.content.decode(), re.S
    )
    meeting.refresh_from_db()
    assert meeting.needs_review is False
    assert meeting.title == "جلسه هماهنگی پیش‌نویس تفاهم‌نامه"
    assert meeting.statements.count() == 4
    assert set(meeting.statements.values_list("speaker__person", flat=True)) == {qods["mayor"].pk}
    assert _client(qods["company_staff"]).get(f"/meetings/{meeting.pk}/").status_code == 200


def test_the_meeting_page_shows_statements_and_the_confirm_button(
    qods: dict[str, Any],
) -> None:
    client = _client(qods["staff"])
    client.post("/meetings/from-text/", {"text": SEED, "step": "save"})
    meeting = Meeting.objects.get()
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "نیازمند بازبینی" in html
    assert f'action="/meetings/{meeting.pk}/confirm/"' in html
    assert "<h2>سخنان</h2>" in html
    assert "<strong>مسعود مختاری:</strong> خدمات دهی توسط شهرداری" in html
    minutes = client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "<strong>مسعود مختاری:</strong> خدمات دهی توسط شهرداری" in minutes
    # Another organisation cannot confirm what it cannot see.
    assert _client(qods["company_staff"]).post(f"/meetings/{meeting.pk}/confirm/").status_code == (
        404
    )
    assert client.post(f"/meetings/{meeting.pk}/confirm/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.needs_review is False
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "نیازمند بازبینی" not in html


def test_statements_on_the_new_meeting_form(staff_a: Any, org_a: Any, person_a: Any) -> None:
    data = _form_data(
        org_a,
        person_a,
        **{
            "statements-TOTAL_FORMS": "2",
            "statements-INITIAL_FORMS": "0",
            "statements-0-text": "برندسازی نیاز امروز است.",
            "statements-0-speaker_number": "۱",
            "statements-1-text": "",
        },
    )
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    statement = Statement.objects.get()
    assert statement.text == "برندسازی نیاز امروز است."
    assert statement.speaker is not None
    assert statement.speaker.person == person_a


def test_a_speaker_row_that_does_not_exist_is_an_error_next_to_the_field(
    staff_a: Any, org_a: Any, person_a: Any
) -> None:
    data = _form_data(
        org_a,
        person_a,
        **{
            "statements-TOTAL_FORMS": "1",
            "statements-INITIAL_FORMS": "0",
            "statements-0-text": "سخن",
            "statements-0-speaker_number": "۹",
        },
    )
    response = _client(staff_a).post("/meetings/new/", data)
    assert response.status_code == 400
    assert "این ردیف حاضران وجود ندارد." in response.content.decode()
    assert Meeting.objects.count() == 0
