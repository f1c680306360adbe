"""Exports through the API: scoped, filtered, CSV with BOM and XLSX, Jalali and ISO dates."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.factories import ActionItemFactory, AgreementFactory, MeetingFactory

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
            "/api/v1/exports/action-items.csv", {"date_from": "1403/01/01", "date_to": "1403/01/31"}
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

    assert client.get("/api/v1/exports/people.csv").status_code == 404
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
