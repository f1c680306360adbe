"""Streaming an XLSX with openpyxl in memory that does not grow with the file.

openpyxl's read-only mode streams each sheet's XML, but three things in it grow with the
file, and this module replaces exactly those, leaving every cell to openpyxl's own parser:

1. The shared strings. An XLSX stores every distinct text once, in its shared-strings part,
   and cells refer to it by index; openpyxl reads that whole table into a list when it
   opens the file (``ExcelReader.read_strings``), about 150 bytes per distinct text. Here a
   large table (over ``DISK_THRESHOLD`` bytes unpacked) is parsed with the same
   ``iterparse`` and ``Text.from_tree`` openpyxl uses (so formatting runs, phonetic runs and
   the ``_x005F_`` escape come out as openpyxl gives them) into a temporary SQLite file (a
   key-value store on disk, not the app's database), where each cell's index is looked up;
   each parsed item is dropped from the XML tree (openpyxl keeps them all, emptied).
2. The parsed rows. ``WorkSheetParser.parse`` clears each ``<row>`` element but leaves it
   attached to ``<sheetData>`` (about 100 bytes a row); here it is removed once parsed.
3. Row heights. ``parse_row`` keeps the attributes of every row that has any besides its
   number (Excel writes ``x14ac:dyDescent`` on each) in ``row_dimensions``; nothing reads
   them when streaming values, so they are dropped after each row.

``sheet_values`` yields what ``ReadOnlyWorksheet.iter_rows(values_only=True)`` yields (the
same filling of missing rows and cells, the same ``_get_row``); cell values — numbers,
booleans, dates in the workbook's date system, inline strings, shared and rich-text strings,
formulas' cached values, errors, empty cells — are parsed by openpyxl's ``parse_cell``.
``tests/imports/test_xlsx_stream.py`` compares the two readers on generated workbooks.

Libraries checked: openpyxl (a dependency already) has no option to defer the table nor to
drop parsed rows; python-calamine and pylightxl read a whole sheet into memory; writing the
cell parser by hand would repeat openpyxl's handling of every cell type for no gain.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Generator, Iterator
from typing import IO, Any

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._reader import DATA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

#: Shared-strings parts that unpack to more than this go to disk (a few thousand texts).
DISK_THRESHOLD = 256 * 1024
#: Texts written to the store per statement while it is filled.
_BATCH = 1000
#: SQLite's page cache for the store (KiB): what the lookups may keep in memory.
_CACHE_KIB = 1024
_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"


def _texts(source: IO[bytes]) -> Iterator[str]:
    """Each shared string, as ``openpyxl.reader.strings.read_string_table`` reads it (each
    parsed item then removed from the table's element, where openpyxl leaves it)."""
    table = None
    for event, node in iterparse(source, events=("start", "end")):
        if event == "start":
            if table is None:
                table = node
            continue
        if node.tag == _STRING_TAG:
            text = Text.from_tree(node).content  # type: ignore[union-attr]
            node.clear()
            if table is not None:
                table.remove(node)
            yield text.replace("x005F_", "")


class DiskStrings:
    """The shared-strings table as a read-only sequence backed by a temporary SQLite file."""

    def __init__(self, source: IO[bytes]) -> None:
        handle, self.path = tempfile.mkstemp(prefix="import-strings-", suffix=".sqlite3")
        os.close(handle)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            self._db.execute("CREATE TABLE s (i INTEGER PRIMARY KEY, t TEXT NOT NULL)")
            self._length = 0
            self._db.execute("BEGIN")
            batch: list[tuple[int, str]] = []
            for text in _texts(source):
                batch.append((self._length, text))
                self._length += 1
                if len(batch) == _BATCH:
                    self._db.executemany("INSERT INTO s VALUES (?, ?)", batch)
                    batch.clear()
            self._db.executemany("INSERT INTO s VALUES (?, ?)", batch)
            self._db.execute("COMMIT")
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> str:
        if index < 0:
            index += self._length
        found = self._db.execute("SELECT t FROM s WHERE i = ?", (index,)).fetchone()
        if found is None:
            raise IndexError("shared string index out of range")
        return str(found[0])

    def close(self) -> None:
        self._db.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


class _Reader(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader with the shared strings on disk when the table is large."""

    disk: DiskStrings | None = None

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        name = part.PartName[1:]
        try:
            size = self.archive.getinfo(name).file_size
        except KeyError:
            size = 0
        if size <= DISK_THRESHOLD:
            super().read_strings()
            return
        with self.archive.open(name) as source:
            self.disk = DiskStrings(source)
        self.shared_strings = self.disk  # type: ignore[assignment]


def open_workbook(handle: IO[bytes]) -> tuple[Any, DiskStrings | None]:
    """The workbook in read-only, cached-values mode (as ``load_workbook(read_only=True,
    data_only=True)``) and the disk store to close with it (None: strings in memory)."""
    reader = _Reader(handle, read_only=True, data_only=True)
    try:
        reader.read()
    except BaseException:
        if reader.disk is not None:
            reader.disk.close()
        raise
    return reader.wb, reader.disk


class _RowParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser, reading only the rows and forgetting each once parsed."""

    def parse(self) -> Generator[tuple[int, list[dict[str, Any]]], None, None]:
        data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == DATA_TAG:
                    data = element
                continue
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                self.row_dimensions.clear()
                element.clear()
                if data is not None:
                    data.remove(element)
                yield row
            elif element.tag == DATA_TAG:
                element.clear()


def sheet_values(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only sheet as ``sheet.iter_rows(values_only=True)`` gives them."""
    max_col, max_row = sheet.max_column, sheet.max_row
    empty_row: tuple[Any, ...] = ()
    if max_col is not None:
        empty_row = (None,) * max_col
    counter = 1
    idx = 1
    with sheet._get_source() as source:
        parser = _RowParser(
            source,
            sheet._shared_strings,
            data_only=sheet.parent.data_only,
            epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats,
            timedelta_formats=sheet.parent._timedelta_formats,
        )
        for idx, row in parser.parse():
            if max_row is not None and idx > max_row:
                break
            for _ in range(counter, idx):  # rows the file leaves out
                counter += 1
                yield empty_row
            if counter <= idx:
                counter += 1
                yield sheet._get_row(row, 1, max_col, True)
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row
