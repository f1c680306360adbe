"""An XLSX's shared strings kept on disk instead of in memory, for openpyxl's streaming read.

An XLSX stores every distinct text of the workbook once, in its shared-strings part, and the
cells refer to it by index. openpyxl's read-only mode streams the sheets' XML but reads that
whole table into a Python list when it opens the file (``ExcelReader.read_strings``): about
150 bytes per distinct text, so memory grows with the file whenever the texts differ
(descriptions, titles). Here the same reader is used, with only that step replaced: the
table is parsed with the same ``iterparse`` and ``Text.from_tree`` openpyxl uses (so inline
formatting runs, phonetic runs and the ``_x005F_`` escape come out exactly as openpyxl gives
them) and written to a temporary SQLite file (a key-value store on disk, not the app's
database), and the sheet parser looks each index up there. Every cell type — numbers,
booleans, dates with the workbook's date system, inline strings, formulas' cached values,
empty cells and sparse rows — is still parsed by openpyxl's own ``WorkSheetParser``.

Libraries checked: openpyxl has no option to defer the table; python-calamine and
pylightxl read a whole sheet into memory; a hand-written sheet parser would have to repeat
openpyxl's handling of every cell type. A small table (below ``DISK_THRESHOLD`` bytes
unpacked) stays in memory, as openpyxl keeps it: the disk costs more than it saves there.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
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
    """Each shared string, as ``openpyxl.reader.strings.read_string_table`` reads it."""
    for _, node in iterparse(source):
        if node.tag == _STRING_TAG:
            text = Text.from_tree(node).content
            node.clear()
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
        self.shared_strings = self.disk


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

