"""Indexed search (issue 17): the stored ``search_text``, its triggers, ``q`` on every list."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from agreements.models import Agreement, AgreementVersion
from meetings.models import ActionItem, Attendance, Meeting, Statement
from organizations.models import Organization, Person
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementVersionFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)
from tracker.persian import DELETED_CHARS, DIGIT_MAP, LETTER_MAP, SPACE_CHARS, fold
from tracker.search import indexed_search, ranked, search_terms

pytestmark = pytest.mark.django_db


def _text(obj: Any) -> str:
    return type(obj).objects.values_list("search_text", flat=True).get(pk=obj.pk)


def test_sql_fold_uses_the_same_tables_as_python():
    """The migration froze the tables; a change to tracker.persian needs a new migration."""
    samples = [*LETTER_MAP, *DIGIT_MAP, *DELETED_CHARS, *SPACE_CHARS, "ABC", "شهرك‌هاي ۱۴۰۳"]
    with connection.cursor() as cursor:
        for sample in samples:
            cursor.execute("SELECT tracker_search_fold(%s)", [sample])
            assert cursor.fetchone()[0] == fold(sample).replace(" ", ""), ascii(sample)


def test_search_terms_normalise_the_query():
    assert search_terms(" شهرك\u200cهاي  ۱۴۰۳ ") == ["شهرک", "های", "1403"]
    assert search_terms("") == []


# --- the triggers keep the text in sync ------------------------------------------------


def test_own_fields_are_folded_without_spaces_one_space_between_fields():
    org = OrganizationFactory(name="شهرك صنعتي شمس‌آباد", city="قدس", county="شهریار")
    assert _text(org) == "شهرکصنعتیشمسآباد قدس شهریار"
    org.city = "ملارد"
    org.save()
    assert _text(org) == "شهرکصنعتیشمسآباد ملارد شهریار"


def test_renaming_an_organisation_updates_its_people_meetings_and_items():
    org = OrganizationFactory(name="شهرداری قدس")
    person = PersonFactory(organization=org, full_name="علی رضایی")
    meeting = MeetingFactory(host=org, title="جلسه")
    item = ActionItemFactory(meeting=meeting, owner_organization=org)
    other = MeetingFactory(title="جلسه دیگر")
    assert "شهرداریقدس" in _text(person)
    Organization.objects.filter(pk=org.pk).update(name="شهرداری ملارد")
    for row in (person, meeting, item):
        assert "شهرداریملارد" in _text(row)
        assert "قدس" not in _text(row)
    assert "ملارد" not in _text(other)


def test_attendees_are_searchable_and_follow_changes():
    meeting = MeetingFactory(title="جلسه")
    person = PersonFactory(full_name="مريم كريمي", position_title="مدیر")
    attendance = AttendanceFactory(meeting=meeting, person=person, position_title="معاون")
    assert "مریمکریمی" in _text(meeting)
    assert "معاون" in _text(meeting)
    Person.objects.filter(pk=person.pk).update(full_name="زهرا احمدی")
    assert "زهرااحمدی" in _text(meeting)
    assert "مریم" not in _text(meeting)
    Attendance.objects.filter(pk=attendance.pk).update(position_title="رئیس")
    assert "رئیس" in _text(meeting)
    assert "معاون" not in _text(meeting)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, organization=meeting.host, group_label="نمایندگان اصناف")
            for _ in (1, 2)
        ]
    )
    assert "نمایندگاناصناف" in _text(meeting)
    attendance.delete()
    assert "زهرا" not in _text(meeting)


def test_statements_are_searchable_and_follow_changes():
    meeting = MeetingFactory(title="جلسه")
    speaker = AttendanceFactory(meeting=meeting)
    statement = Statement.objects.create(
        meeting=meeting, speaker=speaker, order=1, text="انتقال پسماند به سايت جديد"
    )
    assert "انتقالپسماندبهسایتجدید" in _text(meeting)
    assert meeting in indexed_search(Meeting.objects.all(), "سایت جدید")
    Statement.objects.filter(pk=statement.pk).update(text="آسفالت معابر")
    assert "آسفالتمعابر" in _text(meeting)
    assert "پسماند" not in _text(meeting)
    statement.delete()
    assert "آسفالت" not in _text(meeting)


def test_action_item_text_follows_its_owner_person():
    person: Any = PersonFactory(full_name="حسن موسوی")
    item = ActionItemFactory(description="پیگیری پسماند", owner_person=person)
    assert _text(item).startswith("پیگیریپسماند حسنموسوی")
    person.full_name = "حسین موسوی"
    person.save()
    assert "حسینموسوی" in _text(item)


def test_agreement_text_is_the_current_versions():
    agreement = AgreementFactory(reference_number="ت/۱۴۰۳/۷", title="همکاری", subject="")
    assert _text(agreement) == "ت/1403/7 همکاری"
    first = AgreementVersionFactory(agreement=agreement, number=1, text="ماده يك")
    assert _text(agreement).endswith("مادهیک")
    AgreementVersion.objects.filter(pk=first.pk).update(is_current=False)
    AgreementVersionFactory(agreement=agreement, number=2, text="ماده دو")
    assert _text(agreement).endswith("مادهدو")
    assert "یک" not in _text(agreement)
    AgreementVersion.objects.filter(agreement=agreement, number=2).delete()
    assert "ماده" not in _text(agreement)


# --- matching and ranking --------------------------------------------------------------


def test_every_term_must_occur_and_never_across_two_fields():
    org = OrganizationFactory(name="شهرک صنعتی", city="قدس")
    assert list(indexed_search(Organization.objects.all(), "صنعتی قدس")) == [org]
    # «یقدس» would only match across the boundary between name and city.
    assert not indexed_search(Organization.objects.all(), "صنعتیقدس").exists()


def test_like_wildcards_in_the_query_are_literal():
    OrganizationFactory(name="شهرداری")
    assert not indexed_search(Organization.objects.all(), "%").exists()
    assert not indexed_search(Organization.objects.all(), "_").exists()


def test_two_terms_rank_the_exact_phrase_first():
    apart = MeetingFactory(title="صنعتی بودن شهرک", start="2026-01-03T10:00:00Z")
    exact = MeetingFactory(title="بازدید شهرک صنعتی", start="2026-01-01T10:00:00Z")
    MeetingFactory(title="شهرک", start="2026-01-02T10:00:00Z")
    found = list(ranked(indexed_search(Meeting.objects.all(), "شهرک صنعتی"), "-start", "-id"))
    assert found == [exact, apart]


def test_a_ranked_search_ranks_the_first_matches_in_the_list_order(monkeypatch, org_a, org_b):
    """Only RANKED_CANDIDATES matches are ranked: the first ones in the list's own order,
    scope included (another organisation's matches take no place among them)."""
    from tracker import search

    monkeypatch.setattr(search, "RANKED_CANDIDATES", 3)
    old_exact = MeetingFactory(host=org_a, title="بازدید شهرک صنعتی", start="2026-01-01T10:00Z")
    apart = [
        MeetingFactory(host=org_a, title="صنعتی بودن شهرک", start=f"2026-01-{day:02d}T10:00Z")
        for day in (2, 3, 4)
    ]
    newest_exact = MeetingFactory(host=org_a, title="شهرک صنعتی نو", start="2026-01-05T10:00Z")
    MeetingFactory(host=org_b, title="شهرک صنعتی دیگر", start="2026-01-06T10:00Z")
    mine = Meeting.objects.filter(host=org_a)
    found = list(ranked(indexed_search(mine, "شهرک صنعتی"), "-start", "-id"))
    # The three newest of org_a's five matches, the phrase in the title first.
    assert found == [newest_exact, apart[2], apart[1]]
    assert old_exact not in found
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 10)
    found = list(ranked(indexed_search(mine, "شهرک صنعتی"), "-start", "-id"))
    assert found == [newest_exact, old_exact, *reversed(apart)]


def test_the_ranked_page_reads_the_words_and_the_scope_once(org_a, staff_a, client_for):
    """The candidates subquery carries the conditions; the outer query ranks those rows by
    primary key instead of evaluating the scope and the words a second time."""
    from django.test.utils import CaptureQueriesContext

    MeetingFactory(host=org_a, title="بازدید شهرک صنعتی")
    client = client_for(staff_a)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/meetings/", {"q": "شهرک صنعتی"}).json()
    assert body["count"] == 1
    searched = [q["sql"] for q in ctx.captured_queries if "search_text" in q["sql"]]
    assert searched
    for sql in searched:
        # The two words' LIKE appear once each (the candidates); the rank's phrase twice.
        assert sql.count("%%شهرک%%") + sql.count("'%شهرک%'") == 1, sql
        assert sql.count('"host_id" = ANY(') == 1, sql


def test_the_search_reads_the_trigram_index():
    """On a table this small PostgreSQL would scan it; without seq scans the plan shows
    whether the index can serve the condition (the benchmark shows it at scale)."""
    MeetingFactory.create_batch(3)
    qs = indexed_search(Meeting.objects.order_by(), "پسماند قدس")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = {
            model._meta.model_name: indexed_search(model.objects.order_by(), "پسماند").explain()
            for model in (Meeting, ActionItem, Agreement, Organization, Person)
        }
        plans["two terms"] = qs.explain()
    for name, plan in plans.items():
        if name != "two terms":
            assert f"{name}_search_trgm" in plan, plan
    assert "meeting_search_trgm" in plans["two terms"]


# --- q on every list, API and pages ----------------------------------------------------


def _rows(org: Organization) -> dict[str, Any]:
    """One row per list, spelled with Arabic letters, Persian digits and a ZWNJ."""
    meeting = MeetingFactory(host=org, title="بازديد شهرك‌هاي ۱۴۰۳")
    agreement = AgreementFactory(owning_organization=org, title="تفاهم شهرك‌هاي ۱۴۰۳")
    return {
        "meetings": meeting,
        "action-items": ActionItemFactory(meeting=meeting, description="پيگيري شهرك‌هاي ۱۴۰۳"),
        "agreements": agreement,
        "organizations": OrganizationFactory(name="انجمن شهرك‌هاي ۱۴۰۳", parent=org),
        "people": PersonFactory(organization=org, full_name="نماينده شهرك‌هاي ۱۴۰۳"),
    }


LISTS = ["meetings", "action-items", "agreements", "organizations", "people"]
QUERIES = ["شهرک‌های 1403", "شهرکهای ۱۴۰۳", "شهرک های ١٤٠٣", "شهرك هاي"]


@pytest.mark.parametrize("name", LISTS)
def test_api_q_is_normalised_and_scoped_on_every_list(name, org_a, org_b, staff_a, client_for):
    mine = _rows(org_a)[name]
    theirs = _rows(org_b)[name]
    client = client_for(staff_a)
    for query in QUERIES:
        body = client.get(f"/api/v1/{name}/", {"q": query}).json()
        ids = {row["id"] for row in body["results"]}
        if name == "organizations":  # the directory is public to members: both are listed
            assert {mine.pk, theirs.pk} <= ids, query
        else:
            assert ids == {mine.pk}, (query, body)
            assert body["count"] == 1
            assert body["count_exact"] is True
    assert client.get(f"/api/v1/{name}/", {"q": "ناموجود"}).json()["results"] == []


PAGES = {
    "meetings": "meetings:meeting_list",
    "action-items": "meetings:action_item_list",
    "agreements": "agreements:agreement_list",
    "organizations": "organizations:organization_list",
    "people": "organizations:person_list",
}


@pytest.mark.parametrize("name", LISTS)
def test_page_search_box_is_normalised_on_every_list(name, org_a, org_b, staff_a, client):
    _rows(org_a)
    client.force_login(staff_a)
    url = reverse(PAGES[name])

    def table(query: str) -> str:
        html = client.get(url, {"q": query}).content.decode()
        assert 'name="q"' in html
        return html.split("<tbody", 1)[1]  # the rows, not the filters' choices

    assert "شهرك‌هاي ۱۴۰۳" in table("شهرک های 1403")
    assert "شهرك‌هاي ۱۴۰۳" not in table("ناموجود")


@pytest.mark.parametrize("name", LISTS)
def test_q_adds_no_query_to_a_list(name, org_a, staff_a, client_for):
    """The search is conditions on the row's own column: no join, no extra query."""
    from django.test.utils import CaptureQueriesContext

    _rows(org_a)
    client = client_for(staff_a)
    client.get(f"/api/v1/{name}/")  # warm per-process caches

    def queries(**params: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/{name}/", params).status_code == 200
        return len(ctx.captured_queries)

    plain = queries()
    assert queries(q="شهرک") == plain
    assert queries(q="شهرک های") == plain
