"""POST /api/v1/meetings/from-text/ and /confirm/: the seed read into a draft for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meetings.models import Meeting, MeetingEvent, Statement
from notifications.models import Reminder
from organizations.choices import Role
from organizations.models import Organization, Person
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

SEED = (Path(__file__).parent / "intake" / "reports" / "seed-qods.fa.txt").read_text("utf-8")
SHAHRIAR = (Path(__file__).parent / "intake" / "reports" / "pr-shahriar.fa.txt").read_text("utf-8")
URL = "/api/v1/meetings/from-text/"


def _post(client_for: Any, user: Any, **body: Any) -> Any:
    return client_for(user).post(URL, body, format="json")


def test_the_seed_becomes_a_draft_with_every_field_and_a_review_list(
    client_for: Any, qods: dict[str, Any]
) -> None:
    response = _post(client_for, qods["staff"], text=SEED)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["needs_review"] is True
    assert body["title"].startswith("جلسه هماهنگی در خصوص آماده")
    assert body["kind"] == "coordination"
    assert body["status"] == "held"
    assert body["start_jalali"] == "1399/05/11 10:00"
    assert body["start_weekday"] == "شنبه"
    assert body["location"] == "شهرداری قدس"
    assert body["host"] == qods["municipality"].pk
    assert sorted(body["participants"]) == sorted([qods["company"].pk, qods["estates"].pk])
    names = [(a["name"], a["role"], a["organization"]) for a in body["attendances"]]
    assert names == [
        ("مسعود مختاری", "chair", qods["municipality"].pk),
        ("بهزاد بهزادی", "member", qods["company"].pk),
        ("هیئت همراه", "member", qods["company"].pk),
        ("اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس", "member", qods["estates"].pk),
    ]
    assert body["attendances"][0]["person"] == qods["mayor"].pk
    # The director was proposed as new and is now a person of the estates company.
    director = Person.objects.get(pk=body["attendances"][1]["person"])
    assert director.organization == qods["company"]
    assert "مدیر فنی" in director.position_title
    mayor_row = body["attendances"][0]["id"]
    assert len(body["statements"]) == 4  # the headline repeats the last one: not a statement
    assert {s["speaker"] for s in body["statements"]} == {mayor_row}
    assert body["statements"][0]["text"].startswith("خدمات دهی توسط شهرداری")
    assert body["statements"][0]["speaker_name"] == "مسعود مختاری"
    assert (body["source_publication"], body["source_issue"], body["source_page"]) == (
        "رسالت",
        "9827",
        "5",
    )
    assert body["source_date"] == "2020-08-01"
    review = {item["field"]: item for item in body["review"]}
    assert review["start"]["excerpt"] == "شنبه ۱۱ مرداد ۱۳۹۹"
    assert review["start"]["confidence"] <= 0.5
    person = review["attendances.1.person"]
    assert person["value"] == "بهزاد بهزادی"
    start, end = person["span"]
    assert SEED[start:end] == person["excerpt"]
    assert person["excerpt"].startswith("بهزاد بهزادی مدیر فنی")
    meeting = Meeting.objects.get(pk=body["id"])
    assert meeting.source_text == SEED
    assert MeetingEvent.objects.filter(meeting=meeting, kind="logged").get().data == {
        "source": "text"
    }


def test_a_draft_is_the_hosts_only_until_confirmed(client_for: Any, qods: dict[str, Any]) -> None:
    pk = _post(client_for, qods["staff"], text=SEED).json()["id"]
    other = client_for(qods["company_staff"])
    assert other.get(f"/api/v1/meetings/{pk}/").status_code == 404
    assert other.get("/api/v1/meetings/").json()["count"] == 0
    # Nor can the participant confirm it: they do not see it at all.
    assert other.post(f"/api/v1/meetings/{pk}/confirm/").status_code == 404
    confirmed = client_for(qods["staff"]).post(f"/api/v1/meetings/{pk}/confirm/")
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["needs_review"] is False
    assert other.get(f"/api/v1/meetings/{pk}/").status_code == 200
    assert client_for(qods["staff"]).post(f"/api/v1/meetings/{pk}/confirm/").status_code == 409
    assert MeetingEvent.objects.filter(meeting_id=pk, kind="review_confirmed").count() == 1


def test_a_viewer_of_the_host_may_not_confirm(client_for: Any, qods: dict[str, Any]) -> None:
    pk = _post(client_for, qods["staff"], text=SEED).json()["id"]
    viewer = member(qods["municipality"], Role.VIEWER, username="v")
    assert client_for(viewer).post(f"/api/v1/meetings/{pk}/confirm/").status_code == 403
    assert Meeting.objects.get(pk=pk).needs_review is True


@pytest.mark.parametrize("text", ["", "   ", "سلام و وقت بخیر"])
def test_a_text_with_nothing_to_read_is_a_persian_400(
    client_for: Any, qods: dict[str, Any], text: str
) -> None:
    response = _post(client_for, qods["staff"], text=text)
    assert response.status_code == 400
    assert "text" in response.json()
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.json()["text"][0])
    assert Meeting.objects.count() == 0


def test_unknown_keys_and_a_bad_date_are_400(client_for: Any, qods: dict[str, Any]) -> None:
    assert _post(client_for, qods["staff"], text=SEED, title="x").status_code == 400
    bad = _post(client_for, qods["staff"], text=SEED, published_on="1400/12/30")
    assert bad.status_code == 400
    assert "published_on" in bad.json()


def test_staff_log_only_for_an_organisation_where_they_have_the_role(
    client_for: Any, qods: dict[str, Any]
) -> None:
    organisations = Organization.objects.count()
    people = Person.objects.count()
    response = _post(client_for, qods["company_staff"], text=SEED, host=qods["estates"].pk)
    assert response.status_code == 400
    assert "host" in response.json()
    # One transaction: the director proposed as new was not left behind.
    assert (Organization.objects.count(), Person.objects.count()) == (organisations, people)
    assert Meeting.objects.count() == 0


def test_staff_of_the_company_log_the_seed_with_the_company_as_host(
    client_for: Any, qods: dict[str, Any]
) -> None:
    response = _post(client_for, qods["company_staff"], text=SEED)
    assert response.status_code == 201, response.json()
    assert response.json()["host"] == qods["company"].pk
    assert "host" in {item["field"] for item in response.json()["review"]}


def test_a_superuser_may_log_a_meeting_between_two_other_organisations(
    client_for: Any, qods: dict[str, Any]
) -> None:
    root = UserFactory(username="root", is_superuser=True)
    response = _post(client_for, root, text=SEED, host=qods["estates"].pk)
    assert response.status_code == 201, response.json()
    assert response.json()["host"] == qods["estates"].pk


def test_new_organisations_are_created_and_a_signed_mou_is_proposed(
    client_for: Any, qods: dict[str, Any]
) -> None:
    response = _post(client_for, qods["staff"], text=SHAHRIAR, host=qods["municipality"].pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    review = body["review"]
    proposed = [item for item in review if item["field"] == "agreements"]
    assert len(proposed) == 1
    assert "تفاهم" in proposed[0]["value"]
    assert "به امضای طرفین رسید" in proposed[0]["excerpt"]
    new_orgs = [item["value"] for item in review if item["field"] == "participants"]
    assert "شهرداری شهریار" in new_orgs
    assert Organization.objects.filter(name="شهرداری شهریار").exists()


def test_no_reminders_until_confirmed(client_for: Any, qods: dict[str, Any], settings: Any) -> None:
    text = (
        "جلسه هماهنگی شهرداری قدس و شهرک‌های صنعتی شهرستان قدس روز ۱۱ مرداد ۱۴۳۰ ساعت ۱۰ "
        "با حضور مسعود مختاری شهردار قدس در محل شهرداری قدس برگزار می‌شود."
    )
    qods["mayor"].user = UserFactory(username="mayor")
    qods["mayor"].save()
    response = _post(client_for, qods["staff"], text=text)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "planned"
    pk = response.json()["id"]
    assert not Reminder.objects.filter(object_id=pk).exists()
    client_for(qods["staff"]).post(f"/api/v1/meetings/{pk}/confirm/")
    assert Reminder.objects.filter(object_id=pk).exists()


def test_statements_through_the_api_and_kept_when_attendances_change(
    client_for: Any, qods: dict[str, Any]
) -> None:
    client = client_for(qods["staff"])
    created = client.post(
        "/api/v1/meetings/",
        {
            "title": "جلسه",
            "start": "1399/05/11 10:00",
            "host": qods["municipality"].pk,
            "status": "held",
            "attendances": [
                {"group_label": "هیئت همراه", "organization": qods["company"].pk},
                {"person": qods["mayor"].pk, "role": "chair"},
            ],
            "statements": [
                {"text": "برندسازی نیاز امروز است.", "speaker_index": 1},
                {"text": "سخنی بی‌گوینده"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [(s["speaker_name"], s["order"]) for s in body["statements"]] == [
        ("مسعود مختاری", 0),
        (None, 1),
    ]
    pk = body["id"]
    # The mayor moves to the first row and the group goes: his statement follows him.
    patched = client.patch(
        f"/api/v1/meetings/{pk}/",
        {"attendances": [{"person": qods["mayor"].pk, "role": "chair"}]},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    statements = patched.json()["statements"]
    assert statements[0]["speaker"] == patched.json()["attendances"][0]["id"]
    assert statements[1]["speaker"] is None
    bad = client.patch(
        f"/api/v1/meetings/{pk}/",
        {"statements": [{"text": "x", "speaker_index": 3}]},
        format="json",
    )
    assert bad.status_code == 400
    assert "statements.0.speaker_index" in bad.json()
    assert Statement.objects.filter(meeting_id=pk).count() == 2


REPORTS = sorted((Path(__file__).parent / "intake" / "reports").glob("*.txt"))


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("share", [0.2, 0.45, 0.7, 1.0])
def test_every_report_and_every_cut_of_it_is_a_201_or_a_persian_400(
    client_for: Any, qods: dict[str, Any], report: Path, share: float
) -> None:
    """Whole reports and reports cut short (a paste that stopped early): never a 500, and
    a logged draft always holds what its review list points at."""
    text = report.read_text("utf-8")
    text = text[: int(len(text) * share)]
    root = UserFactory(username="root", is_superuser=True)
    response = _post(client_for, root, text=text)
    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 201:
        for item in response.json()["review"]:
            start, end = item["span"]
            assert text[start:end] == item["excerpt"]
    else:
        assert set(response.json()) & {"text", "host", "published_on"}
