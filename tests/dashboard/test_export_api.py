"""Exports through the API: scoped, filtered as their lists, CSV with BOM and XLSX, Jalali and
ISO dates; the list pages' links to them."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.exports import XLSX_CONTENT_TYPE
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    MeetingFactory,
    PersonFactory,
)
from tracker.jalali import TEHRAN, jalali_string

pytestmark = pytest.mark.django_db


def rows_of(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_agreements_csv_is_scoped_filtered_and_safe(
    org_a: Any, org_b: Any, staff_a: Any, client_for: Any
) -> None:
    AgreementFactory(owning_organization=org_a, title="=cmd|calc", signed_date=date(2020, 8, 1))
    AgreementFactory(owning_organization=org_b, title="مال ب")

    response = client_for(staff_a).get("/api/v1/exports/agreements.csv")

    rows = rows_of(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == 2
    assert rows[1][2] == "'=cmd|calc"
    assert "1399/05/11" in rows[1]
    assert "2020-08-01" in rows[1]


def test_status_and_date_filters_apply(org_a: Any, staff_a: Any, client_for: Any) -> None:
    meeting = MeetingFactory(host=org_a)
    ActionItemFactory(meeting=meeting, due_date=date(2024, 3, 20))
    ActionItemFactory(meeting=meeting, due_date=date(2024, 5, 1))
    client = client_for(staff_a)

    all_rows = rows_of(client.get("/api/v1/exports/action-items.csv"))
    farvardin = rows_of(
        client.get(
            "/api/v1/exports/action-items.csv",
            {"due_after": "1403/01/01", "due_before": "1403/01/31"},
        )
    )
    done = rows_of(client.get("/api/v1/exports/action-items.csv", {"status": "done"}))

    assert len(all_rows) == 3
    assert len(farvardin) == 2
    assert len(done) == 1


def test_meetings_xlsx(org_a: Any, staff_a: Any, client_for: Any) -> None:
    MeetingFactory(host=org_a, title="جلسه هماهنگی قدس")

    response = client_for(staff_a).get("/api/v1/exports/meetings.xlsx")
    content = b"".join(response.streaming_content)

    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == "جلسه هماهنگی قدس"
    assert sheet.sheet_view.rightToLeft


def test_coded_values_are_exported_as_persian_labels_with_the_code_beside(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    from agreements.choices import AgreementStatus
    from meetings.choices import ActionItemStatus, MeetingKind, MeetingStatus

    meeting = MeetingFactory(host=org_a, kind="coordination", status="held")
    ActionItemFactory(meeting=meeting)
    AgreementFactory(owning_organization=org_a, status="in_force")
    client = client_for(staff_a)

    def columns(kind: str) -> dict[str, str]:
        header, row = rows_of(client.get(f"/api/v1/exports/{kind}.csv"))
        return dict(zip(header, row, strict=True))

    agreement, meeting_row = columns("agreements"), columns("meetings")
    item = columns("action-items")
    assert agreement["وضعیت"] == AgreementStatus.IN_FORCE.label
    assert agreement["وضعیت (کد)"] == "in_force"
    assert meeting_row["نوع"] == MeetingKind.COORDINATION.label
    assert meeting_row["نوع (کد)"] == "coordination"
    assert meeting_row["وضعیت"] == MeetingStatus.HELD.label
    assert meeting_row["وضعیت (کد)"] == "held"
    assert item["وضعیت"] == ActionItemStatus.OPEN.label
    assert item["وضعیت (کد)"] == "open"
    # XLSX gets the same columns.
    content = b"".join(client.get("/api/v1/exports/meetings.xlsx").streaming_content)
    header, row = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert dict(zip(header, row, strict=True))["وضعیت"] == MeetingStatus.HELD.label


def test_unknown_kind_is_404_and_bad_filter_400(staff_a: Any, client_for: Any) -> None:
    client = client_for(staff_a)

    assert client.get("/api/v1/exports/passwords.csv").status_code == 404
    assert client.get("/api/v1/exports/meetings.pdf").status_code == 404
    assert client.get("/api/v1/exports/meetings.csv", {"date_from": "x"}).status_code == 400


def test_export_query_count_is_constant(
    org_a: Any, staff_a: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(staff_a)
    meeting = MeetingFactory(host=org_a)
    ActionItemFactory.create_batch(5, meeting=meeting)
    from organizations.scoping import forget_scope

    forget_scope(staff_a)
    # Scope (memberships, tree) and one streamed SELECT; the rows never add a query.
    with django_assert_num_queries(3):
        rows_of(client.get("/api/v1/exports/action-items.csv"))
    ActionItemFactory.create_batch(45, meeting=meeting)
    forget_scope(staff_a)
    with django_assert_num_queries(3):
        assert len(rows_of(client.get("/api/v1/exports/action-items.csv"))) == 51


@pytest.mark.parametrize(
    ("kind", "params", "queries"),
    [
        # Scope (memberships, tree) and the one streamed SELECT: text and choice filters
        # are conditions of that SELECT.
        ("meetings", {"q": "هماهنگی", "status": ["planned", "held"]}, 3),
        ("agreements", {"q": "همکاری", "signed_date_from": "1399/01/01"}, 3),
        # ... and one more for the id a filter names (is that person visible?), as on the list.
        ("action-items", {"owner": "{person}", "overdue": "false"}, 4),
    ],
)
def test_filtered_export_query_count_does_not_grow_with_the_rows(
    kind: str,
    params: dict[str, Any],
    queries: int,
    org_a: Any,
    staff_a: Any,
    client_for: Any,
    django_assert_num_queries: Any,
) -> None:
    from organizations.scoping import forget_scope

    client = client_for(staff_a)
    person = PersonFactory(organization=org_a)
    params = {k: v.format(person=person.pk) if isinstance(v, str) else v for k, v in params.items()}

    def add(n: int) -> None:
        meeting = MeetingFactory(host=org_a, status="held")
        for _ in range(n):
            MeetingFactory(host=org_a, title="جلسه هماهنگی", status="planned")
            AgreementFactory(
                owning_organization=org_a, title="همکاری", signed_date=date(2024, 4, 1)
            )
            ActionItemFactory(meeting=meeting, owner_person=person)

    add(2)
    forget_scope(staff_a)
    with django_assert_num_queries(queries):
        few = rows_of(client.get(f"/api/v1/exports/{kind}.csv", params))
    add(30)
    forget_scope(staff_a)
    with django_assert_num_queries(queries):
        many = rows_of(client.get(f"/api/v1/exports/{kind}.csv", params))
    assert len(few) >= 3
    assert len(many) > len(few) + 25


# --- The export is its list, every page ---------------------------------------------------------

LISTS = {"meetings": "meetings", "action-items": "action-items", "agreements": "agreements"}


def list_ids(client: Any, kind: str, params: dict[str, Any]) -> list[int]:
    """The ids of the API list ``kind`` under ``params``, following ``next`` through every
    page (two rows a page, so every case spans several)."""
    ids: list[int] = []
    response = client.get(f"/api/v1/{LISTS[kind]}/", {**params, "page_size": 2})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        response = client.get(body["next"])


def export_ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(row[0]) for row in rows_of(response)[1:]]


@pytest.fixture
def rows_of_a(org_a: Any, org_b: Any) -> dict[str, Any]:
    """Meetings, action items and agreements of org_a that each filter below tells apart,
    and rows of org_b that staff_a may never see."""
    today = timezone.localdate()

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 10, 0, tzinfo=TEHRAN)

    m1 = MeetingFactory(
        host=org_a,
        title="جلسه هماهنگی پروژه",
        kind="coordination",
        status="held",
        start=at(date(2024, 3, 25)),
    )
    m2 = MeetingFactory(
        host=org_a,
        title="مذاکره قرارداد",
        kind="negotiation",
        status="planned",
        start=at(date(2024, 5, 1)),
    )
    m3 = MeetingFactory(
        host=org_a,
        title="امضای سند",
        kind="signing",
        status="minutes_approved",
        start=at(date(2024, 4, 10)),
    )
    m3.participants.add(org_b)
    # Typed with the Arabic yeh: found by «هماهنگی» and «هماهنگي» alike.
    m4 = MeetingFactory(
        host=org_a,
        title="هماهنگي نهایی",
        kind="follow_up",
        status="cancelled",
        start=at(date(2024, 6, 1)),
    )
    m5 = MeetingFactory(
        host=org_a, title="بازدید", kind="other", status="planned", start=at(date(2024, 3, 21))
    )
    m_b = MeetingFactory(host=org_b, title="جلسه هماهنگی ب", start=at(date(2024, 3, 25)))

    p1 = PersonFactory(organization=org_a)
    p2 = PersonFactory(organization=org_a)
    items = [
        ActionItemFactory(meeting=m1, owner_person=p1, due_date=today - timedelta(days=10)),
        ActionItemFactory(meeting=m1, owner_person=p2, due_date=today + timedelta(days=10)),
        ActionItemFactory(
            meeting=m2,
            owner_person=p1,
            due_date=today - timedelta(days=5),
            status="done",
            completed_at=timezone.now(),
        ),
        ActionItemFactory(meeting=m3, due_date=today + timedelta(days=30)),
        ActionItemFactory(meeting=m4, due_date=today - timedelta(days=40), status="cancelled"),
    ]
    item_b = ActionItemFactory(meeting=m_b, due_date=today)

    g1 = AgreementFactory(
        owning_organization=org_a, title="تفاهم‌نامه همکاری حمل و نقل", subject="حمل و نقل"
    )
    g2 = AgreementFactory(
        owning_organization=org_a,
        title="تفاهم‌نامه همکاري آموزشی",
        subject="آموزش",
        status="in_force",
        signed_date=date(2024, 4, 1),
    )
    g3 = AgreementFactory(
        owning_organization=org_a,
        title="قرارداد پسماند",
        subject="پسماند",
        status="signed",
        signed_date=date(2023, 1, 1),
    )
    AgreementPartyFactory(agreement=g3, organization=org_b)
    g4 = AgreementFactory(owning_organization=org_a, title="فضای سبز", subject="پارک")
    g_b = AgreementFactory(owning_organization=org_b, title="تفاهم‌نامه همکاری ب", subject="ب")
    return {
        "meetings": [m1, m2, m3, m4, m5],
        "action-items": items,
        "agreements": [g1, g2, g3, g4],
        "hidden": {"meetings": m_b.pk, "action-items": item_b.pk, "agreements": g_b.pk},
        "p1": p1,
        "m1": m1,
        "org_b": org_b,
        "today": today,
    }


#: (list, filters): ``{name}`` in a value is one of the fixture's rows (see :func:`resolve`).
CASES = [
    ("meetings", {"q": "هماهنگي"}),
    ("meetings", {"q": "هماهنگی"}),
    ("meetings", {"kind": "signing"}),
    ("meetings", {"status": ["held", "minutes_approved"]}),
    ("meetings", {"date_from": "1403/01/01", "date_to": "1403/01/31"}),
    ("meetings", {"date_from": "2024-03-22", "date_to": "2024-05-31", "kind": "signing"}),
    ("meetings", {"q": "هماهنگی", "status": "held"}),
    ("meetings", {"organization": "{org_b}"}),
    ("action-items", {"owner": "{p1}"}),
    ("action-items", {"overdue": "true"}),
    ("action-items", {"overdue": "false"}),
    ("action-items", {"status": "done"}),
    ("action-items", {"owner": "{p1}", "overdue": "false"}),
    ("action-items", {"due_after": "{week_ago}", "due_before": "{in_15_days_jalali}"}),
    ("action-items", {"meeting": "{m1}"}),
    ("agreements", {"q": "همکاري"}),
    ("agreements", {"status": "in_force"}),
    ("agreements", {"status": ["signed", "in_force"]}),
    ("agreements", {"signed_date_from": "1403/01/01", "signed_date_to": "1403/12/29"}),
    ("agreements", {"party": "{org_b}"}),
    ("agreements", {"q": "تفاهم‌نامه", "status": "draft"}),
]


def resolve(params: dict[str, Any], rows: dict[str, Any]) -> dict[str, Any]:
    today = rows["today"]
    refs = {
        "org_b": rows["org_b"].pk,
        "p1": rows["p1"].pk,
        "m1": rows["m1"].pk,
        "week_ago": (today - timedelta(days=7)).isoformat(),
        "in_15_days_jalali": jalali_string(today + timedelta(days=15)),
    }
    return {
        key: [v.format(**refs) for v in value] if isinstance(value, list) else value.format(**refs)
        for key, value in params.items()
    }


@pytest.mark.parametrize(("kind", "params"), CASES)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_rows_are_the_api_lists_rows_across_all_pages(
    kind: str,
    params: dict[str, Any],
    suffix: str,
    rows_of_a: dict[str, Any],
    staff_a: Any,
    client_for: Any,
) -> None:
    params = resolve(params, rows_of_a)
    client = client_for(staff_a)
    every = {row.pk for row in rows_of_a[kind]}

    expected = list_ids(client, kind, params)
    response = client.get(f"/api/v1/exports/{kind}.{suffix}", params)
    if suffix == "csv":
        exported = export_ids(response)
    else:
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        exported = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]

    # The filter tells rows apart (else an export ignoring it would pass too).
    assert 0 < len(expected) < len(every), expected
    # The same rows, in the list's default order (what its first page shows first).
    assert exported == expected
    assert rows_of_a["hidden"][kind] not in exported


@pytest.mark.parametrize("kind", ["meetings", "action-items", "agreements"])
def test_export_without_filters_is_the_whole_list_and_never_another_organisations_rows(
    kind: str, rows_of_a: dict[str, Any], staff_a: Any, staff_b: Any, client_for: Any
) -> None:
    hidden = rows_of_a["hidden"][kind]

    mine = export_ids(client_for(staff_a).get(f"/api/v1/exports/{kind}.csv"))
    theirs = export_ids(client_for(staff_b).get(f"/api/v1/exports/{kind}.csv"))

    assert sorted(mine) == sorted(row.pk for row in rows_of_a[kind])
    assert mine == list_ids(client_for(staff_a), kind, {})
    assert hidden not in mine
    assert hidden in theirs
    # A filter naming the other organisation's row does not reach it either.
    if kind == "action-items":
        by_meeting = client_for(staff_a).get(
            "/api/v1/exports/action-items.csv", {"meeting": rows_of_a["hidden"]["meetings"]}
        )
        assert export_ids(by_meeting) == []


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("meetings", {"status": "bogus"}, "status"),
        ("action-items", {"status": "bogus"}, "status"),
        ("agreements", {"status": "bogus"}, "status"),
        ("meetings", {"kind": "bogus"}, "kind"),
        ("action-items", {"owner": "abc"}, "owner"),
        ("agreements", {"signed_date_from": "1403/13/01"}, "signed_date_from"),
    ],
)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_bad_filter_is_the_lists_persian_400_not_a_file(
    kind: str,
    params: dict[str, str],
    field: str,
    suffix: str,
    rows_of_a: dict[str, Any],
    staff_a: Any,
    client_for: Any,
) -> None:
    client = client_for(staff_a)

    listed = client.get(f"/api/v1/{LISTS[kind]}/", params)
    exported = client.get(f"/api/v1/exports/{kind}.{suffix}", params)

    assert listed.status_code == 400
    assert exported.status_code == 400
    assert not exported.streaming
    assert exported["Content-Type"].startswith("application/json")
    assert "Content-Disposition" not in exported
    assert exported.json() == listed.json()
    message = " ".join(exported.json()[field])
    assert re.search("[\u0600-\u06ff]", message), message


def test_meeting_status_error_names_the_value_and_the_valid_statuses(
    staff_a: Any, client_for: Any
) -> None:
    response = client_for(staff_a).get("/api/v1/exports/meetings.csv", {"status": "bogus"})

    assert response.status_code == 400
    assert "bogus" in response.json()["status"][0]
    assert "minutes_approved" in response.json()["status"][0]


@pytest.mark.parametrize(
    ("kind", "param", "instead"),
    [
        ("action-items", "date_from", "due_after"),
        ("action-items", "date_to", "due_before"),
        ("agreements", "date_from", "signed_date_from"),
    ],
)
def test_old_export_date_parameters_the_list_lacks_are_refused_with_the_name_to_use(
    kind: str, param: str, instead: str, staff_a: Any, client_for: Any
) -> None:
    response = client_for(staff_a).get(f"/api/v1/exports/{kind}.csv", {param: "1403/01/01"})

    assert response.status_code == 400
    assert not response.streaming
    assert instead in response.json()[param][0]


# --- The list pages link to their export --------------------------------------------------------

PAGES = {
    "meetings": "/meetings/",
    "action-items": "/meetings/action-items/",
    "agreements": "/agreements/",
}


def export_links(page: Any) -> dict[str, str]:
    """The page's export links by label, unescaped."""
    assert page.status_code == 200
    content = page.content.decode()
    links = {
        label: html.unescape(href)
        for href, label in re.findall(
            r'<a [^>]*href="([^"]*)"[^>]*>(خروجی (?:CSV|Excel))</a>', content
        )
    }
    assert set(links) == {"خروجی CSV", "خروجی Excel"}, content
    return links


#: (list, the page's query, the export link's query): ``{name}`` is a fixture row's id.
PAGE_CASES = [
    (
        "meetings",
        "q=هماهنگي&status=held&status=minutes_approved&kind=&page=2",
        "q=هماهنگي&status=held&status=minutes_approved&kind=",
    ),
    (
        "meetings",
        "date_from=1403/01/01&date_to=1403/01/31",
        "date_from=1403/01/01&date_to=1403/01/31",
    ),
    (
        "agreements",
        "q=همکاري&status=in_force&status=signed&page=1",
        "q=همکاري&status=in_force&status=signed",
    ),
    ("agreements", "party={org_b}", "party={org_b}"),
    # Without a view or a status, the action-item page shows the open items: so does its export.
    ("action-items", "owner={p1}&overdue=false&page=1", "owner={p1}&overdue=false&status=open"),
    ("action-items", "", "status=open"),
    ("action-items", "view=overdue", "view=overdue"),
    ("action-items", "status=&due_after=1402/01/01", "status=&due_after=1402/01/01"),
]


@pytest.mark.parametrize(("kind", "query", "carried"), PAGE_CASES)
def test_list_pages_link_to_exports_of_their_filtered_rows(
    kind: str,
    query: str,
    carried: str,
    rows_of_a: dict[str, Any],
    org_b: Any,
    staff_a: Any,
    client: Any,
    client_for: Any,
) -> None:
    refs = {"org_b": org_b.pk, "p1": rows_of_a["p1"].pk}
    query, carried = query.format(**refs), carried.format(**refs)
    client.force_login(staff_a)

    links = export_links(client.get(f"{PAGES[kind]}?{quote(query, safe='=&')}"))

    csv_url, xlsx_url = urlsplit(links["خروجی CSV"]), urlsplit(links["خروجی Excel"])
    assert csv_url.path == f"/api/v1/exports/{kind}.csv"
    assert xlsx_url.path == f"/api/v1/exports/{kind}.xlsx"
    params = parse_qs(csv_url.query, keep_blank_values=True)
    expected = parse_qs(carried, keep_blank_values=True)
    assert params == expected
    assert parse_qs(xlsx_url.query, keep_blank_values=True) == params
    # Followed with the page's own session, the link gives the list's rows (all pages).
    exported = export_ids(client.get(links["خروجی CSV"]))
    assert exported == list_ids(client_for(staff_a), kind, params)
    assert rows_of_a["hidden"][kind] not in exported
    workbook = client.get(links["خروجی Excel"])
    assert workbook.status_code == 200
    assert workbook["Content-Type"] == XLSX_CONTENT_TYPE


@pytest.mark.parametrize(
    ("page_path", "query"),
    [
        ("/meetings/", {"q": "هماهنگي"}),
        ("/agreements/", {"q": "همکاري", "status": "in_force"}),
        # The page's default (open items) travels with the link.
        ("/meetings/action-items/", {}),
        ("/meetings/action-items/", {"view": "overdue"}),
    ],
)
def test_the_export_link_gives_the_rows_the_page_shows(
    page_path: str, query: dict[str, str], rows_of_a: dict[str, Any], staff_a: Any, client: Any
) -> None:
    client.force_login(staff_a)

    page = client.get(page_path, query)
    shown = [row.pk for row in page.context["page"]]
    exported = export_ids(client.get(export_links(page)["خروجی CSV"]))

    assert 0 < len(shown) < 5  # one page, filtered
    assert exported == shown


def test_a_page_with_a_bad_filter_offers_no_export(staff_a: Any, client: Any) -> None:
    client.force_login(staff_a)

    page = client.get("/meetings/", {"status": "bogus"})

    assert "خروجی CSV" not in page.content.decode()
    assert "نخست خطای فیلترها را برطرف کنید" in page.content.decode()
