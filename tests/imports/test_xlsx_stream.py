"""The import's XLSX stream (shared strings on disk, rows forgotten once parsed) reads every
workbook exactly as openpyxl's read-only mode does: generated workbooks (sparse cells of
every type, both date systems, rich text) and a hand-written one with what openpyxl never
writes (inline strings, formulas' cached values, rows without numbers, Excel's row
attributes, phonetic runs)."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from imports import xlsx_stream
from imports.reading import read_sheets

from .excel_files import to_shared_strings


def _openpyxl_rows(content: bytes) -> list[tuple[str, list[tuple[Any, ...]]]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _stream_rows(content: bytes) -> list[tuple[str, list[tuple[Any, ...]]]]:
    workbook, disk = xlsx_stream.open_workbook(io.BytesIO(content))
    try:
        return [(ws.title, list(xlsx_stream.sheet_values(ws))) for ws in workbook.worksheets]
    finally:
        workbook.close()
        if disk is not None:
            disk.close()


@pytest.fixture
def on_disk(monkeypatch: Any) -> None:
    """Every shared-strings table goes to disk, however small."""
    monkeypatch.setattr(xlsx_stream, "DISK_THRESHOLD", -1)


_texts = st.text(
    alphabet=st.sampled_from("ابپتثجکگیيكی\u200c abc019۰۹ \n\t&<>\"'_x005F_"), max_size=12
)
_rich = st.lists(st.tuples(_texts.filter(bool), st.booleans()), min_size=1, max_size=3).map(
    lambda runs: CellRichText([TextBlock(InlineFont(b=b), t) if b else t for t, b in runs])
)
_values = st.one_of(
    _texts,
    _rich,
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1905, 1, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1905, 1, 1), max_value=datetime(2100, 1, 1)).map(  # noqa: DTZ001
        lambda d: d.replace(microsecond=0)
    ),
    st.times().map(lambda t: t.replace(microsecond=0)),
)
_cells = st.dictionaries(
    st.tuples(st.integers(1, 25), st.integers(1, 7)), _values, min_size=0, max_size=40
)


@st.composite
def workbooks(draw: Any) -> bytes:
    book = Workbook()
    book.remove(book.active)
    if draw(st.booleans()):
        book.epoch = CALENDAR_MAC_1904
    for index in range(draw(st.integers(1, 2))):
        sheet = book.create_sheet(f"برگه {index}")
        for (row, column), value in draw(_cells).items():
            sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.usefixtures("on_disk")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=workbooks())
def test_generated_workbooks_read_as_openpyxl_reads_them(content: bytes) -> None:
    assert _stream_rows(content) == _openpyxl_rows(content)  # texts inline, as openpyxl
    shared = to_shared_strings(content)  # texts in the shared strings, as Excel
    assert _stream_rows(shared) == _openpyxl_rows(shared)


SHEET = "".join(
    [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        ' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">',
        '<dimension ref="A1:E9"/>',
        '<cols><col min="1" max="2" width="20" customWidth="1"/></cols>',
        "<sheetData>",
        '<row r="1" spans="1:5" x14ac:dyDescent="0.25">',
        '<c r="A1" t="s"><v>0</v></c>',
        '<c r="B1" t="s"><v>1</v></c>',
        '<c r="C1" t="inlineStr"><is><t>درون\u200cخطی</t></is></c>',
        '<c r="D1" t="s"><v>2</v></c></row>',
        '<row r="2" spans="1:5" ht="30" customHeight="1">',
        '<c r="A2"><f>1+1</f><v>2</v></c>',
        '<c r="B2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>',
        '<c r="C2" t="b"><v>1</v></c>',
        '<c r="D2" t="e"><v>#DIV/0!</v></c>',
        '<c r="E2" s="1"><v>45400.5</v></c></row>',
        '<row r="5">',
        '<c r="B5"><f>SUM(A1:A2)</f></c>',
        '<c r="E5" t="inlineStr"><is><r><t>پر</t></r>',
        "<r><rPr><b/></rPr><t>رنگ</t></r></is></c></row>",
        "<row>",
        '<c t="s"><v>3</v></c>',
        '<c r="D6"><v>3.25</v></c></row>',
        '<row r="8">',
        '<c r="A8" s="1"><v>1</v></c></row>',
        "</sheetData>",
        '<mergeCells count="1"><mergeCell ref="A9:B9"/></mergeCells>',
        "</worksheet>",
    ]
)

STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>شرح</t></si>
<si><r><rPr><b/></rPr><t>مهلت</t></r><r><t xml:space="preserve"> (شمسی)</t></r></si>
<si><t>کد_x005F_x000D_</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>
<si><t xml:space="preserve">  فاصله  </t></si>
</sst>"""


def _handwritten(*, date1904: bool) -> bytes:
    """A workbook openpyxl made (styles with a date format at index 1), its sheet and
    strings replaced by XML as Excel writes it."""
    book = Workbook()
    sheet: Any = book.active
    sheet["A1"] = datetime(2024, 4, 29)  # noqa: DTZ001 - cellXfs 1: a date format
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(to_shared_strings(out.getvalue(), STRINGS)))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = SHEET.encode()
            archive.writestr(item, data)
    return target.getvalue()


@pytest.mark.parametrize("date1904", [False, True])
@pytest.mark.parametrize("disk", [False, True])
def test_what_excel_writes_reads_as_openpyxl_reads_it(
    monkeypatch: Any, date1904: bool, disk: bool
) -> None:
    if disk:
        monkeypatch.setattr(xlsx_stream, "DISK_THRESHOLD", -1)
    content = _handwritten(date1904=date1904)

    rows = _stream_rows(content)

    assert rows == _openpyxl_rows(content)
    values = rows[0][1]
    assert len(values) == 8  # rows 3, 4 and 7 (left out) read empty; row 9 is only merged
    assert values[0][:4] == ("شرح", "مهلت (شمسی)", "درون‌خطی", "کد_x000D_")
    assert values[1][:4] == (2, "ab", True, "#DIV/0!")
    assert isinstance(values[1][4], datetime)
    assert values[2] == (None,) * 5
    assert values[4][1] is None  # a formula without a cached value
    assert values[4][4] == "پررنگ"
    assert values[5][0] == "  فاصله  "
    assert values[5][3] == 3.25


def test_the_import_reads_a_large_table_from_disk_and_deletes_it(
    on_disk: None, monkeypatch: Any
) -> None:
    made: list[xlsx_stream.DiskStrings] = []
    original = xlsx_stream.DiskStrings.__init__

    def spy(self: xlsx_stream.DiskStrings, source: Any) -> None:
        original(self, source)
        made.append(self)

    monkeypatch.setattr(xlsx_stream.DiskStrings, "__init__", spy)
    content = _handwritten(date1904=False)

    headers, rows = [], []
    for sheet in read_sheets(io.BytesIO(content), "file.xlsx"):
        headers.append(sheet.headers)
        rows += [cells for _, cells in sheet.rows]

    assert headers[0] == ["شرح", "مهلت (شمسی)", "درون‌خطی", "کد_x000D_", ""]
    assert rows[0][:3] == [2, "ab", True]
    assert len(made) == 1
    assert not os.path.exists(made[0].path)


def test_a_time_cell_reads_as_openpyxl_reads_it(on_disk: None) -> None:
    book = Workbook()
    sheet: Any = book.active
    sheet["A1"] = time(10, 30)
    sheet["B1"] = "متن"
    out = io.BytesIO()
    book.save(out)
    assert _stream_rows(out.getvalue()) == _openpyxl_rows(out.getvalue())
