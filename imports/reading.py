"""Reading an uploaded spreadsheet as a stream of rows: XLSX and CSV, one sheet or several.

- XLSX: openpyxl in *read-only* mode (rows are parsed from the sheet's XML as they are
  iterated) with the workbook's table of distinct texts in a temporary file when it is
  large (``xlsx_stream``), so memory stays flat whatever the number of rows; ``data_only``: a
  formula cell gives the value Excel cached when it last saved the file; nothing is ever
  evaluated (openpyxl has no formula engine, and a formula the file has no cached value for
  reads as empty). Date cells come as Gregorian ``datetime`` values.
- CSV: the encoding is found by decoding the whole file incrementally as UTF-8 (a BOM is
  dropped); a file that is not UTF-8 is read as Windows-1256, the code page Persian Excel
  still writes. The delimiter (comma, semicolon or tab) is the one of those the header line
  holds most of. A cell the exports made inert against formula injection («'=…») loses its
  apostrophe again.

Libraries checked: openpyxl (already a dependency, streams XLSX, never evaluates formulas)
and the standard ``csv`` module with ``codecs`` incremental decoders; charset-normalizer was
not added, because the two encodings people actually send are told apart exactly by whether
the bytes are valid UTF-8 (Windows-1256 maps almost every byte, so guessing adds nothing).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

#: Bytes read at a time while checking the encoding.
_CHUNK = 64 * 1024
_DELIMITERS = (",", ";", "\t")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: openpyxl reads an XLSX through zipfile; an XLSX (and any zip) starts with these bytes.
_ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file cannot be read at all (a Persian message for the user)."""


@dataclass
class Sheet:
    """One table of the file: its title, header cells and an iterator of (row number, cells)."""

    title: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]


def file_format(name: str, head: bytes) -> str:
    """``xlsx`` or ``csv``, from the content (an XLSX is a zip) and then the name."""
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raise ImportFileError("فایل Excel خراب است یا با قالب xlsx ذخیره نشده است.")
    if lower.endswith((".xls",)):
        raise ImportFileError(
            "قالب قدیمی xls خوانده نمی‌شود؛ فایل را در Excel با قالب xlsx یا CSV ذخیره کنید."
        )
    return "csv"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


#: An XLSX is a zip: its parts together may not unpack to more than this, nor any part
#: to more than XLSX_MAX_RATIO times its compressed size (a small file of repeated text
#: would otherwise fill the disk or memory the shared strings are read into).
XLSX_MAX_UNPACKED = 512 * 1024 * 1024
XLSX_MAX_RATIO = 200


def _check_zip_size(handle: IO[bytes]) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ImportFileError("فایل Excel خوانده نشد؛ آن را با قالب xlsx ذخیره کنید.") from exc
    finally:
        handle.seek(0)
    unpacked = sum(p.file_size for p in parts)
    packed_ratio = max(
        (p.file_size / max(p.compress_size, 1) for p in parts if p.file_size > 1024 * 1024),
        default=0,
    )
    if unpacked > XLSX_MAX_UNPACKED or packed_ratio > XLSX_MAX_RATIO:
        raise ImportFileError(
            "فایل Excel پس از بازشدن بیش از اندازه بزرگ است؛ آن را به چند فایل بخش کنید."
        )


def _xlsx_sheets(handle: IO[bytes], order: Callable[[str], int] | None) -> Iterator[Sheet]:
    from .xlsx_stream import open_workbook, sheet_values

    _check_zip_size(handle)
    try:
        workbook, disk_strings = open_workbook(handle)
    except Exception as exc:  # zipfile, XML and openpyxl's own errors: all "unreadable"
        raise ImportFileError("فایل Excel خوانده نشد؛ آن را با قالب xlsx ذخیره کنید.") from exc
    try:
        worksheets = list(workbook.worksheets)
        if order is not None:
            # Each read-only sheet streams its own XML part: any order costs the same.
            worksheets.sort(key=lambda ws: order(str(ws.title)))
        for sheet in worksheets:
            rows = sheet_values(sheet)
            number = 0
            headers: list[str] | None = None
            for values in rows:
                number += 1
                if all(_blank(v) for v in values):
                    continue
                headers = [_header_text(v) for v in values]
                break
            if headers is None:
                continue
            yield Sheet(str(sheet.title), headers, _numbered(rows, number, len(headers)))
    finally:
        workbook.close()
        if disk_strings is not None:
            disk_strings.close()


def _numbered(rows: Iterator[Any], after: int, width: int) -> Iterator[tuple[int, list[Any]]]:
    number = after
    for values in rows:
        number += 1
        cells = list(values[:width])
        if all(_blank(v) for v in cells):
            continue
        cells.extend([None] * (width - len(cells)))
        yield number, cells


def csv_encoding(handle: IO[bytes]) -> str:
    """``utf-8-sig`` if the whole file decodes as UTF-8 (BOM or not), else ``cp1256``."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1256"
    finally:
        handle.seek(0)
    return "utf-8-sig"


def _uninert(value: str) -> str:
    """Undo the exports' formula guard: «'=…» back to «=…»."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def _csv_sheet(handle: IO[bytes], title: str) -> Iterator[Sheet]:
    encoding = csv_encoding(handle)
    # Detached once read: a TextIOWrapper closes the file it wraps when it is collected.
    text = io.TextIOWrapper(handle, encoding=encoding, newline="", errors="replace")  # type: ignore[type-var]
    first = text.readline()
    if not first.strip():
        text.detach()
        return
    delimiter = max(_DELIMITERS, key=first.count)
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = [_header_text(h) for h in next(reader)]
    except csv.Error as exc:
        text.detach()
        raise ImportFileError(f"سطر عنوان فایل CSV خوانده نشد: {exc}") from exc
    yield Sheet(title, headers, _csv_rows(text, reader, len(headers)))


def _csv_rows(text: io.TextIOWrapper, reader: Any, width: int) -> Iterator[tuple[int, list[Any]]]:
    try:
        for values in reader:
            # A NUL byte cannot be stored in PostgreSQL text: dropped, like Excel drops it.
            cells: list[Any] = [
                _uninert(v.replace("\x00", "")) if v.replace("\x00", "").strip() else None
                for v in values
            ]
            cells = cells[:width] + [None] * (width - len(cells))
            if all(c is None for c in cells):
                continue
            yield reader.line_num, cells
    except csv.Error as exc:
        raise ImportFileError(f"سطر {reader.line_num} فایل CSV خوانده نشد: {exc}") from exc
    finally:
        # The file may be closed already (a run that stopped early closed it first).
        with contextlib.suppress(ValueError):
            text.detach()


def read_sheets(
    handle: IO[bytes], name: str, order: Callable[[str], int] | None = None
) -> Iterator[Sheet]:
    """The file's sheets, each streamed (an XLSX may hold several, a CSV holds one), an
    XLSX's sorted by ``order`` of their titles."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if file_format(name, head) == "xlsx":
        yield from _xlsx_sheets(handle, order)
    else:
        yield from _csv_sheet(handle, name)


def count_rows(handle: IO[bytes], name: str, *, limit: int) -> tuple[int, list[str]]:
    """Data rows of every sheet (stops counting past ``limit``) and the sheets' titles."""
    total = 0
    titles = []
    for sheet in read_sheets(handle, name):
        titles.append(sheet.title)
        for _ in sheet.rows:
            total += 1
            if total > limit:
                return total, titles
    return total, titles
