"""Streamed CSV and XLSX exports, generic over an iterable of rows and a list of columns.

- CSV: UTF-8 with a BOM (so Excel opens Persian text correctly), written row by row into a
  ``StreamingHttpResponse``: memory stays flat whatever the number of rows.
- XLSX: an openpyxl *write-only* workbook (rows go straight to its temporary XML parts),
  saved to a temporary file that a ``FileResponse`` streams and that disappears when the
  response is closed.

Both make cells safe from formula injection. In CSV, which has no cell types, a text cell
starting with ``= + - @`` (or a tab or carriage return, which some spreadsheet programs
skip before such a character) is prefixed with an apostrophe, so it is shown as text and
never evaluated. In XLSX every text is written as a typed string cell, which a spreadsheet
never evaluates whatever it starts with, so it keeps its exact text (a phone number
«+98 21 …» is not shown as «'+98 21 …»). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Choices
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from tracker.jalali import jalali_string

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 refuses these control characters; openpyxl raises on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Rows written to the CSV stream per chunk: small chunks cost a write() each, large ones
#: hold more rows in memory at once; a few hundred keeps both small.
CSV_CHUNK_ROWS = 500


@dataclass(frozen=True)
class Column:
    """One exported column: a header, how to get the cell from a row, and the row's key it
    reads (the export selects those keys with ``.values()``)."""

    header: str
    get: Callable[[Any], Any]
    key: str = ""


def field(header: str, key: str) -> Column:
    """A column reading ``row[key]`` (rows from ``.values()``) or ``row.key``."""

    def get(row: Any) -> Any:
        return row[key] if isinstance(row, dict) else getattr(row, key)

    return Column(header, get, key)


def date_columns(header: str, key: str) -> list[Column]:
    """Two columns for one date: the Jalali twin and ISO 8601 (Tehran time)."""
    source = field(header, key).get
    return [
        Column(f"{header} (شمسی)", lambda row: jalali_string(source(row)), key),
        Column(f"{header} (ISO)", lambda row: iso(source(row)), key),
    ]


def choice_columns(header: str, key: str, choices: type[Choices]) -> list[Column]:
    """Two columns for one coded value: the Persian label people read, and the raw code
    (stable, for BI tools and formulas). A code the choices do not know is shown as is."""
    source = field(header, key).get
    labels = dict(choices.choices)

    def label(row: Any) -> Any:
        code = source(row)
        return labels.get(code, code)

    return [Column(header, label, key), Column(f"{header} (کد)", source, key)]


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def cell_value(value: Any) -> Any:
    """The value as a cell holds it: numbers kept, yes/no in Persian, dates as ISO text,
    other values as text without the characters XML cannot carry."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, date | datetime):
        return iso(value)
    return _ILLEGAL_XML.sub("", str(value))


def safe_cell(value: Any) -> Any:
    """A CSV cell: :func:`cell_value`, with a text that could start a formula made inert."""
    value = cell_value(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    """A file-like whose write() returns what it was given (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def csv_rows(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[bytes]:
    """The encoded CSV: the BOM and header first, then chunks of rows."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow([c.header for c in columns])).encode()
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([safe_cell(c.get(row)) for c in columns]))
        if len(chunk) >= CSV_CHUNK_ROWS:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(
    rows: Iterable[Any], columns: Sequence[Column], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(rows, columns), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_file(rows: Iterable[Any], columns: Sequence[Column], sheet_title: str) -> Any:
    """A temporary file (deleted on close) holding the workbook, positioned at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.sheet_view.rightToLeft = True

    def typed(value: Any) -> Any:
        value = cell_value(value)
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, even «=…» (openpyxl would store that as a formula)
        return cell

    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append([typed(c.get(row)) for c in columns])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def xlsx_response(
    rows: Iterable[Any], columns: Sequence[Column], filename: str, sheet_title: str
) -> FileResponse:
    handle = xlsx_file(rows, columns, sheet_title)
    response = FileResponse(handle, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response
