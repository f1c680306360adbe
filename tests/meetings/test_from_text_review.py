"""Issue 13's review gaps: the page's read step writes nothing, the same text is not logged
twice, drafts are marked and filterable, the text has a size limit, Persian digits on the
review form, and a signed MoU is opened and linked on confirmation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from meetings.models import Meeting
from meetings.services import meeting_from_text_preview
from organizations.choices import Role
from organizations.models import Organization, Person
from tests.factories import member

from .test_from_text_api import SEED, SHAHRIAR, URL

REPORTS = Path(__file__).parent / "intake" / "reports"

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. the page's read step is a preview ----------------------------------------------------


def test_reading_on_the_page_shows_the_meeting_and_writes_nothing(qods: dict[str, Any]) -> None:
    people, orgs = Person.objects.count(), Organization.objects.count()
    response = _client(qods["staff"]).post("/meetings/from-text/", {"text": SEED})
    assert response.status_code == 200
    html = response.content.decode()
    assert "پیش‌نمایش جلسه خوانده‌شده از متن" in html
    assert "هنوز چیزی ثبت نشده است" in html
    # What would be logged: the date with its weekday, the people, the statements.
    assert "شنبه ۱۱ مرداد ۱۳۹۹" in html
    assert "مسعود مختاری" in html
    assert "بهزاد بهزادی" in html  # proposed as new: shown, not created
    assert html.count("<strong>مسعود مختاری:</strong>") == 4
    # The text goes back hidden, the title is editable, three ways on.
    assert 'name="text"' in html
    assert 'name="title"' in html
    assert 'value="confirm"' in html
    assert 'value="save"' in html
    # Nothing was kept: no meeting, and not the director the reading proposed.
    assert Meeting.objects.count() == 0
    assert (Person.objects.count(), Organization.objects.count()) == (people, orgs)


def test_the_previews_confirm_saves_with_the_corrected_title_in_one_step(
    qods: dict[str, Any],
) -> None:
    client = _client(qods["staff"])
    response = client.post(
        "/meetings/from-text/", {"text": SEED, "title": "جلسه تفاهم‌نامه", "step": "confirm"}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.title == "جلسه تفاهم‌نامه"
    assert meeting.needs_review is False
    assert all(item["field"] != "title" for item in meeting.review_items)


def test_the_previews_edit_goes_back_to_the_text_and_reads_nothing(qods: dict[str, Any]) -> None:
    response = _client(qods["staff"]).post("/meetings/from-text/", {"text": SEED, "step": "edit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="from-text-form"' in html
    assert "برند سازی" in html
    assert Meeting.objects.count() == 0


# --- 2. the same text twice -------------------------------------------------------------------


def test_the_same_text_again_is_a_409_with_the_meeting_unless_allowed(
    client_for: Any, qods: dict[str, Any]
) -> None:
    client = client_for(qods["staff"])
    first = client.post(URL, {"text": SEED}, format="json")
    assert first.status_code == 201
    # Arabic letters, other spaces and line breaks: still the same report.
    again = SEED.replace("ی", "ي").replace("ک", "ك").replace(" ", "  ").replace("\n", "\r\n")
    second = client.post(URL, {"text": again}, format="json")
    assert second.status_code == 409, second.json()
    body = second.json()
    assert body["meeting"] == first.json()["id"]
    assert "پیش‌تر" in body["detail"]
    assert "allow_duplicate" in body["detail"]
    assert body["text"] == [body["detail"]]
    assert Meeting.objects.count() == 1
    third = client.post(URL, {"text": SEED, "allow_duplicate": True}, format="json")
    assert third.status_code == 201
    assert Meeting.objects.count() == 2


def test_the_texts_key_is_stored_and_the_duplicate_found_by_it_in_one_query(
    client_for: Any, qods: dict[str, Any]
) -> None:
    """The check reads the indexed ``source_key`` (tracker.persian.text_key), not every
    stored text; the migration fills the key of meetings logged before it."""
    from django.apps import apps

    from meetings.services.intake_source import duplicate_of
    from tracker.persian import text_key

    assert client_for(qods["staff"]).post(URL, {"text": SEED}, format="json").status_code == 201
    meeting = Meeting.objects.get()
    assert meeting.source_key == text_key(SEED)
    assert text_key(SEED.replace("ی", "ي").replace(" ", "\u200c\n")) == text_key(SEED)
    with CaptureQueriesContext(connection) as queries:
        found = duplicate_of(actor=qods["staff"], host=meeting.host, text=SEED)
    assert found == meeting
    assert len(queries) <= 4, [q["sql"] for q in queries]  # the scope, then the meeting
    assert "source_text" not in queries[-1]["sql"].split("WHERE")[-1]

    migration = __import__(
        "meetings.migrations.0011_meeting_source_key", fromlist=["fill_source_keys"]
    )
    Meeting.objects.filter(pk=meeting.pk).update(source_key="")
    migration.fill_source_keys(apps, None)
    assert Meeting.objects.get().source_key == text_key(SEED)


def test_the_same_text_for_another_host_or_an_unseen_meeting_is_no_duplicate(
    client_for: Any, qods: dict[str, Any]
) -> None:
    assert client_for(qods["staff"]).post(URL, {"text": SEED}, format="json").status_code == 201
    # The estates company's staff do not see the municipality's draft, and host their own.
    other = client_for(qods["company_staff"]).post(
        URL, {"text": SEED, "host": qods["company"].pk}, format="json"
    )
    assert other.status_code == 201, other.json()


def test_a_different_text_is_no_duplicate(client_for: Any, qods: dict[str, Any]) -> None:
    client = client_for(qods["staff"])
    assert client.post(URL, {"text": SEED}, format="json").status_code == 201
    longer = SEED + "\nمقرر شد شهرداری قدس ظرف دو هفته پیش‌نویس را ارسال کند."
    assert client.post(URL, {"text": longer}, format="json").status_code == 201


def test_the_page_says_the_text_was_logged_and_links_the_meeting(qods: dict[str, Any]) -> None:
    client = _client(qods["staff"])
    client.post("/meetings/from-text/", {"text": SEED, "step": "save"})
    meeting = Meeting.objects.get()
    response = client.post("/meetings/from-text/", {"text": SEED})
    assert response.status_code == 400
    html = response.content.decode()
    assert "این متن پیش‌تر برای «شهرداری قدس» ثبت شده است" in html
    assert f'href="/meetings/{meeting.pk}/" id="duplicate-link"' in html
    assert "این متن پیش‌تر ثبت شده است؛ هیچ چیز ذخیره نشد." in html  # not «خوانده نشد»
    assert "خوانده نشد" not in html
    assert 'name="allow_duplicate"' in html
    again = client.post(
        "/meetings/from-text/", {"text": SEED, "allow_duplicate": "on", "step": "save"}
    )
    assert again.status_code == 302
    assert Meeting.objects.count() == 2


# --- 3. drafts marked and filterable -----------------------------------------------------------


def test_drafts_are_marked_and_filtered_in_the_list_and_the_api(
    client_for: Any, qods: dict[str, Any], log_meeting: Any
) -> None:
    client = client_for(qods["staff"])
    draft = client.post(URL, {"text": SEED}, format="json").json()["id"]
    confirmed = client.post(URL, {"text": SHAHRIAR, "host": qods["municipality"].pk}, format="json")
    client.post(f"/api/v1/meetings/{confirmed.json()['id']}/confirm/", {}, format="json")
    listed = client.get("/api/v1/meetings/?needs_review=true").json()["results"]
    assert [m["id"] for m in listed] == [draft]
    others = client.get("/api/v1/meetings/?needs_review=false").json()["results"]
    assert [m["id"] for m in others] == [confirmed.json()["id"]]
    bad = client.get("/api/v1/meetings/?needs_review=perhaps")
    assert bad.status_code == 400

    page = _client(qods["staff"])
    html = page.get("/meetings/").content.decode()
    assert html.count("نیازمند بازبینی</span>") == 1
    assert 'name="needs_review"' in html
    filtered = page.get("/meetings/?needs_review=true").content.decode()
    assert f'href="/meetings/{draft}/"' in filtered
    assert f'href="/meetings/{confirmed.json()["id"]}/"' not in filtered
    # The participants' staff see neither the draft nor its badge.
    company = _client(qods["company_staff"]).get("/meetings/?needs_review=true").content.decode()
    assert f'href="/meetings/{draft}/"' not in company


# --- 4. the size limit ------------------------------------------------------------------------


def test_a_text_past_the_limit_is_a_persian_400_naming_the_field(
    client_for: Any, qods: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_MAX_TEXT_LENGTH = 1000
    response = client_for(qods["staff"]).post(URL, {"text": SEED}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["text"]
    assert "متن گزارش حداکثر ۱٬۰۰۰ نویسه است" in message  # no «(text)» (tester)
    page = _client(qods["staff"]).post("/meetings/from-text/", {"text": SEED})
    assert page.status_code == 400
    assert "حداکثر ۱٬۰۰۰ نویسه" in page.content.decode()
    assert Meeting.objects.count() == 0


# --- 5. Persian digits on the review form -------------------------------------------------------


def test_the_review_form_shows_the_source_in_persian_digits_and_takes_both(
    qods: dict[str, Any],
) -> None:
    client = _client(qods["staff"])
    client.post("/meetings/from-text/", {"text": SEED, "step": "save"})
    meeting = Meeting.objects.get()
    assert (meeting.source_issue, meeting.source_page) == ("9827", "5")
    html = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert re.search(r'name="source_issue" value="۹۸۲۷"', html)
    assert re.search(r'name="source_page" value="۵"', html)
    assert not re.search(r'value="9827"', html)
    from meetings.forms import MeetingForm

    form = MeetingForm({"source_issue": "۹۸۲۸", "source_page": "6"}, user=qods["staff"], edit=True)
    form.is_valid()
    assert form.cleaned_data["source_issue"] == "9828"
    assert form.cleaned_data["source_page"] == "6"


# --- 6. a signed MoU ----------------------------------------------------------------------------


def test_a_signed_mou_is_proposed_with_its_signing_date_and_opened_linked_on_confirm(
    client_for: Any, qods: dict[str, Any]
) -> None:
    client = client_for(qods["staff"])
    body = client.post(URL, {"text": SHAHRIAR, "host": qods["municipality"].pk}, format="json")
    assert body.status_code == 201, body.json()
    (proposal,) = [i for i in body.json()["review"] if i["field"] == "agreements"]
    assert proposal["agreement"] == {
        "title": proposal["value"],
        "status": "draft",
        "signed_date": "2023-09-07",
    }
    assert "۱۴۰۲/۰۶/۱۶" in proposal["message"]
    assert Agreement.objects.count() == 0
    pk = body.json()["id"]
    confirmed = client.post(f"/api/v1/meetings/{pk}/confirm/", {}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    agreement = Agreement.objects.get()
    assert confirmed.json()["agreements"] == [agreement.pk]
    assert agreement.status == "draft"
    assert str(agreement.signed_date) == "2023-09-07"
    assert agreement.owning_organization == qods["municipality"]
    assert agreement.title == proposal["value"]
    parties = {(p.organization.name, p.role) for p in agreement.parties.all()}
    assert ("شهرداری قدس", "first_party") in parties
    assert len(parties) == 2
    meeting = Meeting.objects.get(pk=pk)
    (item,) = [i for i in meeting.review_items if i["field"] == "agreements"]
    assert item["agreement"]["created"] == agreement.pk


def test_confirming_without_the_mou_opens_none(client_for: Any, qods: dict[str, Any]) -> None:
    client = client_for(qods["staff"])
    pk = client.post(
        URL, {"text": SHAHRIAR, "host": qods["municipality"].pk}, format="json"
    ).json()["id"]
    done = client.post(
        f"/api/v1/meetings/{pk}/confirm/", {"create_agreements": False}, format="json"
    )
    assert done.status_code == 200
    assert Agreement.objects.count() == 0


def test_the_previews_confirm_opens_the_signed_mou_when_ticked(qods: dict[str, Any]) -> None:
    client = _client(qods["staff"])
    data = {"text": SHAHRIAR, "host": qods["municipality"].pk}
    preview = client.post("/meetings/from-text/", data).content.decode()
    assert 'name="create_agreements" value="1"' in preview
    assert "۱۴۰۲/۰۶/۱۶" in preview
    client.post("/meetings/from-text/", {**data, "step": "confirm", "create_agreements": "1"})
    meeting = Meeting.objects.get()
    assert meeting.needs_review is False
    (signed,) = meeting.agreements.values_list("signed_date", flat=True)
    assert signed.isoformat() == "2023-09-07"


def test_a_viewer_cannot_open_the_mou_by_confirming(client_for: Any, qods: dict[str, Any]) -> None:
    client = client_for(qods["staff"])
    pk = client.post(
        URL, {"text": SHAHRIAR, "host": qods["municipality"].pk}, format="json"
    ).json()["id"]
    viewer = member(qods["municipality"], Role.VIEWER, username="viewer")
    refused = client_for(viewer).post(f"/api/v1/meetings/{pk}/confirm/", {}, format="json")
    assert refused.status_code == 403
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize("name", ["seed-qods", "press-karaj", "pr-shahriar", "minutes-varamin",
                                  "arabic-eshtehard"])  # fmt: skip
def test_every_report_previews_without_a_query_after_the_rollback(
    qods: dict[str, Any], name: str
) -> None:
    """The preview's rows are read (prefetched) before the savepoint is rolled back: what
    the preview template shows of them reaches for no row (none exists any more)."""
    text = (REPORTS / f"{name}.fa.txt").read_text("utf-8")
    preview = meeting_from_text_preview(
        actor=qods["staff"], text=text, host=qods["municipality"], published_on=None
    )
    assert Meeting.objects.count() == 0
    with CaptureQueriesContext(connection) as queries:
        shown = [preview.meeting.host.name, *(o.name for o in preview.participants)]
        for a in preview.attendances:
            shown += [a.display_name, a.organization.name, a.person and a.person.full_name]
        shown += [st.speaker and st.speaker.display_name for st in preview.statements]
        for item in preview.action_items:
            shown += [
                item.owner_person and item.owner_person.full_name,
                item.owner_organization and item.owner_organization.name,
            ]
    assert len(queries) == 0
    assert preview.meeting.host.name in shown


def test_the_edit_forms_confirm_opens_the_signed_mou_when_ticked(qods: dict[str, Any]) -> None:
    from .test_from_text_pages import _management

    client = _client(qods["staff"])
    client.post(
        "/meetings/from-text/",
        {"text": SHAHRIAR, "host": qods["municipality"].pk, "step": "save"},
    )
    meeting = Meeting.objects.get()
    html = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'name="create_agreements" value="1"' in html
    detail = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'name="create_agreements" value="1"' in detail
    data = _management(html)
    assert data.get("create_agreements") == "1"  # ticked as the page comes
    data["confirm"] = "1"
    saved = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.needs_review is False
    assert meeting.agreements.count() == 1


def test_the_meeting_pages_confirm_with_the_box_unticked_opens_none(
    qods: dict[str, Any],
) -> None:
    client = _client(qods["staff"])
    client.post(
        "/meetings/from-text/",
        {"text": SHAHRIAR, "host": qods["municipality"].pk, "step": "save"},
    )
    meeting = Meeting.objects.get()
    assert client.post(f"/meetings/{meeting.pk}/confirm/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.needs_review is False
    assert Agreement.objects.count() == 0


def test_a_wrong_weekday_on_the_date_line_is_flagged_on_a_meeting_held_today(
    client_for: Any, qods: dict[str, Any]
) -> None:
    # Found by a tester: «شنبه ۲۰ آذر ۱۴۰۵» is a Friday; the meeting «امروز» took the date
    # and the warning stayed on the date line, which the review does not show.
    text = (
        "قدس - شنبه ۲۰ آذر ۱۴۰۵\n"
        "جلسه هماهنگی شهرداری قدس و شهرک صنعتی قدس امروز در محل شهرداری قدس برگزار شد."
    )
    response = client_for(qods["staff"]).post(URL, {"text": text}, format="json")
    assert response.status_code == 201, response.json()
    [start] = [item for item in response.json()["review"] if item["field"] == "start"]
    assert "روز هفته با تاریخ نمی‌خواند" in start["message"]
    assert "جمعه" in start["message"]
