"""The generic CSV and XLSX writers: BOM, inert formulas, Jalali and ISO dates, flat memory."""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from dashboard.exports import (
    BOM,
    Column,
    csv_response,
    csv_rows,
    date_columns,
    field,
    safe_cell,
    xlsx_response,
)
from tracker.jalali import TEHRAN

COLUMNS = [
    field("عنوان", "title"),
    field("تعداد", "count"),
    *date_columns("تاریخ", "day"),
]


def rows(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"title": f"جلسه {i}", "count": i, "day": date(2020, 8, 1)}


def test_safe_cell_makes_formula_starts_inert_and_keeps_numbers() -> None:
    for dangerous in ("=1+1", "+98 21", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd"):
        assert safe_cell(dangerous).startswith("'"), dangerous
    assert safe_cell("شهرداری قدس") == "شهرداری قدس"
    assert safe_cell(-5) == -5
    assert safe_cell(None) == ""
    assert safe_cell(True) == "بله"
    assert safe_cell("a\x00b\x1fc") == "abc"


def test_csv_starts_with_a_bom_and_round_trips() -> None:
    body = b"".join(csv_rows(rows(3), COLUMNS)).decode("utf-8")

    assert body.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(body[1:])))
    assert parsed[0] == ["عنوان", "تعداد", "تاریخ (شمسی)", "تاریخ (ISO)"]
    assert parsed[1] == ["جلسه 0", "0", "1399/05/11", "2020-08-01"]
    assert len(parsed) == 4


def test_csv_cells_starting_with_formula_characters_are_prefixed() -> None:
    data = [{"title": '=HYPERLINK("http://x")', "count": 1, "day": None}]

    body = b"".join(csv_rows(data, COLUMNS)).decode("utf-8")[1:]

    row = list(csv.reader(io.StringIO(body)))[1]
    assert row[0] == '\'=HYPERLINK("http://x")'
    assert row[2:] == ["", ""]


def test_datetimes_are_exported_in_tehran_time() -> None:
    columns = date_columns("زمان", "at")
    at = datetime(2020, 8, 1, 6, 0, tzinfo=TEHRAN)

    assert [c.get({"at": at}) for c in columns] == ["1399/05/11 06:00", "2020-08-01T06:00:00+04:30"]


def test_csv_response_streams_lazily() -> None:
    consumed = 0

    def counting(n: int) -> Iterator[dict[str, Any]]:
        nonlocal consumed
        for row in rows(n):
            consumed += 1
            yield row

    response = csv_response(counting(100_000), COLUMNS, "x.csv")
    stream = iter(response.streaming_content)
    next(stream)
    next(stream)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert consumed < 1000  # one chunk, not the whole input


def test_csv_memory_stays_flat_over_many_rows() -> None:
    # 100,000 rows of ~40 bytes: a buffered export would hold several MB; the stream
    # holds one chunk at a time.
    tracemalloc.start()
    total = 0
    for part in csv_rows(rows(100_000), COLUMNS):
        total += len(part)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert total > 4_000_000
    assert peak < 1_000_000


def test_xlsx_holds_rows_inert_formulas_and_right_to_left_sheet() -> None:
    data = [
        {"title": "=1+1", "count": 7, "day": date(2020, 8, 1)},
        {"title": "تفاهم‌نامه", "count": -3, "day": None},
        {"title": "+98 21 5555 0000", "count": 0, "day": None},
        {"title": "@SUM(A1)", "count": 0, "day": None},
    ]

    response = xlsx_response(data, COLUMNS, "x.xlsx", "جلسات")
    content = b"".join(response.streaming_content)
    response.file_to_stream.close()  # response.close() would signal request_finished

    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["عنوان", "تعداد", "تاریخ (شمسی)", "تاریخ (ISO)"]
    # Texts keep their exact characters and are string cells: never a formula.
    assert values[1] == ["=1+1", 7, "1399/05/11", "2020-08-01"]
    assert values[2][1] == -3
    assert [values[3][0], values[4][0]] == ["+98 21 5555 0000", "@SUM(A1)"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}
    # In the file itself: no formula element anywhere.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "<f " not in xml
    assert sheet.title == "جلسات"
    assert sheet.sheet_view.rightToLeft is True
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_xlsx_of_many_rows_does_not_hold_them_in_memory() -> None:
    tracemalloc.start()
    response = xlsx_response(rows(20_000), [Column("n", lambda r: r["count"])], "x.xlsx", "s")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.file_to_stream.close()  # response.close() would signal request_finished

    # The write-only workbook streams rows to temporary files: peak memory is far below
    # what 20,000 cell objects would take (tens of MB).
    assert peak < 8_000_000


def test_choice_columns_give_the_label_and_the_code_and_keep_unknown_codes() -> None:
    from dashboard.exports import choice_columns
    from meetings.choices import MeetingStatus

    label, code = choice_columns("وضعیت", "status", MeetingStatus)

    assert (label.header, code.header) == ("وضعیت", "وضعیت (کد)")
    assert label.get({"status": "held"}) == MeetingStatus.HELD.label
    assert code.get({"status": "held"}) == "held"
    assert label.get({"status": "=retired"}) == "=retired"
    assert safe_cell(label.get({"status": "=retired"})) == "'=retired"
