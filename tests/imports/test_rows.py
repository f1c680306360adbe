"""Rows as people send them: errors with row and column (and nothing saved), Windows-1256 and
semicolons, Jalali in several forms, spelling variants of names, another organisation's rows,
formula cells, in-file references, limits."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from agreements.models import Agreement
from imports.services import import_job_create
from meetings.models import ActionItem, Meeting
from organizations.models import Organization, Person
from tests.factories import ActionItemFactory, MeetingFactory, OrganizationFactory, PersonFactory

from .conftest import csv_bytes, errors_of, run_import

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = ["نام و نام خانوادگی", "سمت", "سازمان", "تلفن"]


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_mixed_good_and_bad_rows_save_nothing_and_report_every_error(
    org_a: Any, staff_a: Any
) -> None:
    content = csv_bytes(
        [
            PEOPLE_HEADER,
            ["مریم احمدی", "کارشناس", org_a.name, ""],
            ["", "کارشناس", org_a.name, ""],
            ["رضا کریمی", "مدیر", "سازمانی که نیست", ""],
            ["سارا نوری", "", org_a.name, ""],
        ]
    )

    job = run_import(staff_a, "people", content)

    assert job.status == "failed"
    assert errors_of(job) == [(3, "نام و نام خانوادگی"), (4, "سازمان")]
    assert "سازمانی که نیست" in job.errors[1]["message"]
    assert job.error_count == 2
    assert not Person.objects.exists()
    assert job.file.name == ""


def test_windows_1256_csv_with_semicolons_and_arabic_spellings(org_a: Any, staff_a: Any) -> None:
    # «شهرداري الف» with Arabic ye: the directory holds «شهرداری الف».
    content = csv_bytes(
        # Windows-1256 has no Persian ی: Persian Excel writes the Arabic ي there.
        [
            [h.replace("ی", "ي") for h in PEOPLE_HEADER],
            ["علي كريمي", "كارشناس", "شهرداري الف", "021"],
        ],
        encoding="cp1256",
        delimiter=";",
    )

    job = run_import(staff_a, "people", content)

    assert job.errors == []
    person = Person.objects.get()
    assert person.organization == org_a
    # Stored in standard Persian letters, like every name (tracker.persian.standardize).
    assert person.full_name == "علی کریمی"
    assert person.phone == "021"


def test_tab_separated_utf8_without_bom_and_half_space_variants(org_a: Any, staff_a: Any) -> None:
    PersonFactory(organization=org_a, full_name="زهرا میرزایی", position_title="کارشناس")
    content = csv_bytes(
        [PEOPLE_HEADER, ["زهرا  ميرزايي", "مدیر", "شهرداری\u200cالف".replace("\u200c", " "), ""]],
        encoding="utf-8",
        delimiter="\t",
    )

    job = run_import(staff_a, "people", content)

    assert job.errors == []
    assert (job.created_count, job.updated_count) == (0, 1)
    assert Person.objects.get().position_title == "مدیر"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1403/02/10", date(2024, 4, 29)),
        ("۱۴۰۳/۰۲/۱۰", date(2024, 4, 29)),
        ("١٤٠٣-٢-١٠", date(2024, 4, 29)),
        ("10 اردیبهشت 1403", date(2024, 4, 29)),
        ("2024-04-29", date(2024, 4, 29)),
    ],
)
def test_jalali_in_several_forms(org_a: Any, staff_a: Any, typed: str, expected: date) -> None:
    meeting = MeetingFactory(
        host=org_a, start=MeetingFactory.build().start.replace(year=2024, month=3)
    )
    content = csv_bytes(
        [["شرح", "شناسه جلسه", "سازمان مسئول", "مهلت"], ["پیگیری", meeting.pk, org_a.name, typed]]
    )

    job = run_import(staff_a, "action-items", content)

    assert job.errors == []
    assert ActionItem.objects.get().due_date == expected


def test_impossible_jalali_date_is_a_row_error(org_a: Any, staff_a: Any) -> None:
    meeting = MeetingFactory(host=org_a)
    content = csv_bytes(
        [
            ["شرح", "شناسه جلسه", "سازمان مسئول", "مهلت (شمسی)"],
            ["پیگیری", meeting.pk, org_a.name, "1400/12/30"],
        ]
    )

    job = run_import(staff_a, "action-items", content)

    assert errors_of(job) == [(2, "مهلت (شمسی)")]
    assert not ActionItem.objects.exists()


def test_excel_date_cells_are_gregorian_and_formulas_import_their_cached_value(
    org_a: Any, staff_a: Any
) -> None:
    meeting = MeetingFactory(host=org_a)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "اقدامات"
    sheet.append(["شرح", "شناسه جلسه", "سازمان مسئول", "مهلت"])
    sheet.append(['=HYPERLINK("http://x")', meeting.pk, org_a.name, date(2030, 1, 2)])
    out = io.BytesIO()
    workbook.save(out)

    job = run_import(staff_a, "action-items", out.getvalue(), "a.xlsx")

    # openpyxl saved no cached value for the formula: it reads as empty, never evaluated.
    assert errors_of(job) == [(2, "شرح")]
    assert not ActionItem.objects.exists()


def test_another_organisations_rows_are_refused(org_a: Any, org_b: Any, staff_a: Any) -> None:
    foreign = MeetingFactory(host=org_b, title="جلسه ب")
    foreign_item = ActionItemFactory(meeting=foreign)
    meetings = csv_bytes([["شناسه", "عنوان"], [foreign.pk, "دست‌برده"]])
    new_in_b = csv_bytes(
        [["عنوان", "میزبان", "شروع"], ["جلسه در ب", org_b.name, "1403/01/20 10:00"]]
    )
    items = csv_bytes([["شناسه", "وضعیت (کد)"], [foreign_item.pk, "done"]])

    updated = run_import(staff_a, "meetings", meetings)
    created = run_import(staff_a, "meetings", new_in_b)
    completed = run_import(staff_a, "action-items", items)

    assert errors_of(updated) == [(2, "شناسه")]
    assert errors_of(created) == [(2, "میزبان")]
    assert errors_of(completed) == [(2, "شناسه")]
    foreign.refresh_from_db()
    assert foreign.title == "جلسه ب"
    assert Meeting.objects.count() == 1
    assert ActionItem.objects.get().status == "open"


def test_viewer_cannot_import(org_a: Any, viewer_a: Any) -> None:
    content = csv_bytes([PEOPLE_HEADER, ["مریم احمدی", "", org_a.name, ""]])

    job = run_import(viewer_a, "people", content)

    assert job.status == "failed"
    assert "کارشناس" in job.errors[0]["message"]
    assert not Person.objects.exists()


def test_workbook_rows_refer_to_each_other(org_a: Any, admin_a: Any) -> None:
    content = xlsx_bytes(
        {
            # Sheets in any order: organisations, then meetings, then action items run first.
            "اقدامات": [
                ["شرح", "مرجع جلسه", "سازمان مسئول", "مهلت"],
                ["تهیه پیش‌نویس", "J1", "شهرک صنعتي تازه", "1403/03/01"],
            ],
            "جلسات": [
                ["مرجع", "عنوان", "میزبان", "شروع", "سازمان‌های شرکت‌کننده"],
                ["J1", "جلسه هماهنگی", org_a.name, "1403/02/01 10:00", "شهرک صنعتی تازه"],
            ],
            "سازمان‌ها": [["نام", "نوع"], ["شهرک صنعتی تازه", "شهرک صنعتی"]],
        }
    )

    job = run_import(admin_a, "workbook", content, "all.xlsx")

    assert job.errors == []
    assert job.created_count == 3
    item = ActionItem.objects.get()
    estate = Organization.objects.get(name="شهرک صنعتی تازه")
    assert item.meeting.title == "جلسه هماهنگی"
    assert item.owner_organization == estate
    assert estate in item.meeting.participants.all()


def test_unknown_columns_are_reported_and_ignored(org_a: Any, staff_a: Any) -> None:
    content = csv_bytes([[*PEOPLE_HEADER, "یادداشت من"], ["مریم", "", org_a.name, "", "x"]])

    job = run_import(staff_a, "people", content)

    assert job.errors == []
    assert job.preview["ignored"] == [{"sheet": "file.csv", "column": "یادداشت من"}]
    assert Person.objects.count() == 1


def test_csv_formula_guard_of_the_export_is_undone(org_a: Any, admin_a: Any) -> None:
    organization = OrganizationFactory(name="=شهرک", parent=None)
    content = csv_bytes([["شناسه", "نام"], [organization.pk, "'=شهرک"]])

    job = run_import(admin_a, "organizations", content)

    assert job.errors == []
    assert job.unchanged_count == 1


def test_limits_are_a_persian_error(settings: Any, org_a: Any, staff_a: Any) -> None:
    settings.IMPORT_MAX_ROWS = 2
    rows = [PEOPLE_HEADER, *[[f"شخص {i}", "", org_a.name, ""] for i in range(3)]]
    with pytest.raises(ValidationError) as too_many:
        import_job_create(
            actor=staff_a, kind="people", upload=SimpleUploadedFile("p.csv", csv_bytes(rows))
        )
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as too_big:
        import_job_create(
            actor=staff_a, kind="people", upload=SimpleUploadedFile("p.csv", csv_bytes(rows))
        )

    assert "ردیف" in too_many.value.message_dict["file"][0]
    assert "بزرگ" in too_big.value.message_dict["file"][0]


def test_agreement_created_with_parties_and_dates(org_a: Any, org_b: Any, staff_a: Any) -> None:
    content = csv_bytes(
        [
            ["شماره", "عنوان", "سازمان مالک", "طرفین", "تاریخ انقضا"],
            [
                "ت/۱",
                "همکاری",
                org_a.name,
                f"{org_a.name} (طرف اول)؛ {org_b.name} (طرف دوم)",
                "1405/01/01",
            ],
        ]
    )

    job = run_import(staff_a, "agreements", content)

    assert job.errors == []
    agreement = Agreement.objects.get()
    assert agreement.status == "draft"
    assert agreement.expiry_date == date(2026, 3, 21)
    assert {(p.organization_id, p.role) for p in agreement.parties.all()} == {
        (org_a.pk, "first_party"),
        (org_b.pk, "second_party"),
    }
    assert agreement.status_changes.count() == 1


def test_a_nul_byte_in_a_csv_cell_is_dropped_not_a_failed_job(org_a: Any, staff_a: Any) -> None:
    content = csv_bytes([PEOPLE_HEADER, ["مریم\x00 احمدی", "کارشناس", "شهرداری الف", ""]])
    job = run_import(staff_a, "people", content)
    assert job.errors == []
    assert Person.objects.get().full_name == "مریم احمدی"


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read(
    staff_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imports import reading

    workbook = Workbook()
    workbook.active.append(PEOPLE_HEADER)
    workbook.active.append(["آ" * 5000, "کارشناس", "شهرداری الف", ""])
    out = io.BytesIO()
    workbook.save(out)
    monkeypatch.setattr(reading, "XLSX_MAX_UNPACKED", 10_000)
    with pytest.raises(ValidationError) as exc:
        import_job_create(
            actor=staff_a,
            kind="people",
            upload=SimpleUploadedFile("big.xlsx", out.getvalue()),
            dry_run=True,
        )
    assert "بزرگ" in str(exc.value)
