"""What every kind of import shares: cell parsers, columns, the twin-column rule, the
directory lookups and the row outcome.

A column of the file is found by its header, as the export writes it («مهلت (شمسی)») or as
the field's name («due_date»), compared spelling-insensitively. The exports write some
values twice (a Jalali and an ISO date, a Persian label and a code, an organisation's id and
name); on import such *twins* give one value: cells that agree are that value; when they
differ, the one that differs from what is stored is the edit (so an export edited in either
column imports as the user meant); two different edits are an error naming both columns.
A blank twin is ignored while the other has a value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Choices, Model

from organizations.models import Organization, Person
from organizations.selectors import organization_list_for_user, person_list_for_user
from tracker.jalali import TEHRAN, JalaliDateError, parse_date, parse_datetime
from tracker.persian import to_latin_digits
from tracker.text import normalize

#: Separators of a list in one cell (participants, parties): the exports write «؛ ».
LIST_SEPARATORS = ("؛", ";", "\n", "،")


class CellError(Exception):
    """A cell that cannot be read; the message is Persian and names the problem."""


class RowError(Exception):
    """Errors of one row: ``{column key or "": [messages]}``."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def row_error(key: str, message: str) -> RowError:
    return RowError({key: [message]})


# --- Cell parsers ------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A text cell; a number Excel stored (a phone, a reference) as its digits."""
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return str(value).strip()


def integer(value: Any) -> int | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("عدد نیست.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = to_latin_digits(str(value)).strip().replace(",", "").replace("٬", "")
        if not raw.isdigit():
            raise CellError(f"«{value}» عدد درستی نیست.")
        number = int(raw)
    if number < 0 or number > 2**31 - 1:
        raise CellError(f"«{value}» عدد درستی نیست.")
    return number


_YES = {normalize(v) for v in ("بله", "آری", "true", "1", "yes", "فعال")}
_NO = {normalize(v) for v in ("خیر", "نه", "false", "0", "no", "غیرفعال")}


def boolean(value: Any) -> bool | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    key = normalize(text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"«{value}» بله یا خیر نیست.")


def choice(choices: type[Choices]) -> Callable[[Any], str | None]:
    """A coded value, by its code or its Persian label."""
    by_key = {normalize(str(code)): str(code) for code in choices.values}
    by_key |= {normalize(str(label)): str(code) for code, label in choices.choices}
    allowed = "، ".join(f"«{label}»" for label in choices.labels)

    def parse(value: Any) -> str | None:
        if blank(value):
            return None
        code = by_key.get(normalize(text(value)))
        if code is None:
            raise CellError(f"«{value}» پذیرفته نیست؛ یکی از {allowed} را بنویسید.")
        return code

    return parse


def a_date(value: Any) -> date | None:
    """A Jalali date as the forms read it, an ISO date, or an Excel date cell (Gregorian)."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.astimezone(TEHRAN).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    # An ISO date-time (the datetime twins) names a day too.
    if "T" in raw and raw[:4].isdigit():
        return a_datetime(raw).date()  # type: ignore[union-attr]
    try:
        return parse_date(raw)
    except JalaliDateError as exc:
        raise CellError(str(exc)) from None


def a_datetime(value: Any) -> datetime | None:
    """A Jalali date and time, ISO 8601, or an Excel cell (Gregorian, read as Tehran time)."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.astimezone(TEHRAN) if value.tzinfo else value.replace(tzinfo=TEHRAN)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=TEHRAN)
    try:
        return parse_datetime(text(value))
    except JalaliDateError as exc:
        raise CellError(str(exc)) from None


def names(value: Any) -> list[str]:
    """A list in one cell («الف؛ ب»), blank pieces dropped."""
    raw = text(value)
    for separator in LIST_SEPARATORS[1:]:
        raw = raw.replace(separator, LIST_SEPARATORS[0])
    return [" ".join(p.split()) for p in raw.split(LIST_SEPARATORS[0]) if p.strip()]


# --- Comparisons at a column's precision --------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    if isinstance(a, Model) or isinstance(b, Model):
        return getattr(a, "pk", None) == getattr(b, "pk", None)
    if isinstance(a, list | tuple | set) and isinstance(b, list | tuple | set):
        return sorted(map(_key, a)) == sorted(map(_key, b))
    if isinstance(a, str) or isinstance(b, str):
        return (a or "") == (b or "")
    return bool(a == b)


def _key(item: Any) -> Any:
    if isinstance(item, tuple):
        return tuple(_key(i) for i in item)
    return getattr(item, "pk", item)


def same_minute(a: Any, b: Any) -> bool:
    """The Jalali twin of a date-time is written to the minute."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)
    return same(a, b)


# --- Columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column the import reads: which value it gives (``key``), its headers, its parser.

    ``parse`` takes the cell and the import's context. ``same`` compares the value read with
    the stored one at the column's precision.
    """

    key: str
    headers: tuple[str, ...]
    parse: Callable[[Any, Context], Any]
    same: Callable[[Any, Any], bool] = same
    #: What a blank cell means («» for a text, ``None`` otherwise).
    empty: Any = None


def plain(parser: Callable[[Any], Any]) -> Callable[[Any, Context], Any]:
    return lambda value, _context: parser(value)


def simple(key: str, header: str, parser: Callable[[Any], Any] = text) -> Col:
    return Col(key, (header, key), plain(parser), empty="" if parser is text else None)


def choice_cols(key: str, header: str, choices: type[Choices]) -> list[Col]:
    parse = plain(choice(choices))
    return [Col(key, (header,), parse), Col(key, (f"{header} (کد)", key), parse)]


def date_cols(key: str, header: str) -> list[Col]:
    return [
        Col(key, (f"{header} (شمسی)", header), plain(a_date)),
        Col(key, (f"{header} (ISO)", key), plain(a_date)),
    ]


def datetime_cols(key: str, header: str) -> list[Col]:
    return [
        Col(key, (f"{header} (شمسی)", header), plain(a_datetime), same_minute),
        Col(key, (f"{header} (ISO)", key), plain(a_datetime)),
    ]


def organization_cols(key: str, id_header: str, name_header: str) -> list[Col]:
    """An organisation by id and by name (matched spelling-insensitively)."""
    return [
        Col(key, (id_header, f"{key}_id"), lambda v, c: c.organization_by_id(integer(v))),
        Col(key, (name_header, key), lambda v, c: c.organization_by_name(text(v))),
    ]


@dataclass
class Context:
    """One import run: the actor, the directory lookups it cached, the file's own references."""

    actor: Any
    #: ``{(kind, reference): object}``: rows of this file other rows refer to.
    refs: dict[tuple[str, str], Any] = field(default_factory=dict)
    _orgs_by_name: dict[str, list[Organization]] = field(default_factory=dict)
    _orgs_by_id: dict[int, Organization | None] = field(default_factory=dict)
    _people_by_name: dict[str, list[Person]] = field(default_factory=dict)

    def organization_by_id(self, pk: int | None) -> Organization | None:
        if pk is None:
            return None
        if pk not in self._orgs_by_id:
            self._orgs_by_id[pk] = organization_list_for_user(user=self.actor).filter(pk=pk).first()
        found = self._orgs_by_id[pk]
        if found is None:
            raise CellError(f"سازمانی با شناسه {pk} پیدا نشد.")
        return found

    def organizations_named(self, name: str) -> list[Organization]:
        key = normalize(name)
        if key not in self._orgs_by_name:
            self._orgs_by_name[key] = list(
                organization_list_for_user(user=self.actor).filter(name_key=key).order_by("id")
            )
        return self._orgs_by_name[key]

    def organization_by_name(self, name: str) -> Organization | None:
        if not name:
            return None
        found = self.organizations_named(name)
        if not found:
            raise CellError(f"سازمانی به نام «{name}» در فهرست سازمان‌ها پیدا نشد.")
        if len(found) > 1:
            raise CellError(
                f"چند سازمان به نام «{name}» هست (زیر سازمان‌های بالادست گوناگون)؛ "
                "شناسه سازمان را هم بنویسید."
            )
        return found[0]

    def organization_changed(self, organization: Organization) -> None:
        """An organisation this run created or renamed: forget what was cached about it."""
        self._orgs_by_name.clear()
        self._orgs_by_id.pop(organization.pk, None)

    def person_by_name(self, name: str, organization: Organization | None) -> Person | None:
        if not name:
            return None
        key = normalize(name)
        if key not in self._people_by_name:
            self._people_by_name[key] = list(
                person_list_for_user(user=self.actor).filter(name_key=key).order_by("id")
            )
        found = self._people_by_name[key]
        if organization is not None and len(found) > 1:
            found = [p for p in found if p.organization_id == organization.pk]
        if not found:
            raise CellError(f"شخصی به نام «{name}» در فهرست اشخاص پیدا نشد.")
        if len(found) > 1:
            raise CellError(f"چند شخص به نام «{name}» هست؛ سازمان مسئول را هم بنویسید.")
        return found[0]

    def person_changed(self) -> None:
        self._people_by_name.clear()


# --- Rows --------------------------------------------------------------------------------------


@dataclass
class Cell:
    col: Col
    header: str
    value: Any = None
    error: str = ""
    is_blank: bool = True


@dataclass
class Row:
    """One row of the file: its number and, per value key, the cells that give it."""

    number: int
    cells: dict[str, list[Cell]]

    def has(self, key: str) -> bool:
        return key in self.cells

    def header(self, key: str) -> str:
        cells = self.cells.get(key)
        return cells[0].header if cells else ""

    def value(self, key: str, current: Any = None, *, existing: bool = False) -> Any:
        """The value of ``key`` (see the module docstring for twins); raises RowError."""
        cells = self.cells.get(key, [])
        errors = [c for c in cells if c.error]
        filled = [c for c in cells if not c.is_blank and not c.error]
        if errors and not filled:
            raise RowError({errors[0].header: [errors[0].error]})
        # A twin that cannot be read while the other can: the unreadable one is the edit
        # when the readable one is unchanged (a new row has nothing to compare with).
        if errors and (not existing or all(c.col.same(c.value, current) for c in filled)):
            raise RowError({errors[0].header: [errors[0].error]})
        if not filled:
            return cells[0].col.empty if cells else None
        # The most precise of the cells that agree (an ISO time keeps its seconds).
        best = next((c for c in filled if c.col.same is same), filled[0])
        first = best.value
        if all(same(c.value, first) or c.col.same(c.value, first) for c in filled):
            return first
        if existing:
            edits = [c for c in filled if not c.col.same(c.value, current)]
            if edits and all(same(c.value, edits[0].value) for c in edits[1:]):
                return edits[0].value
        headers = "» و «".join(c.header for c in filled)
        raise RowError({filled[0].header: [f"ستون‌های «{headers}» با هم نمی‌خوانند."]})

    def unchanged(self, key: str, value: Any, current: Any) -> bool:
        """Whether ``value`` read from the row equals ``current`` at its columns' precision."""
        return any(c.col.same(value, current) for c in self.cells.get(key, [])) or same(
            value, current
        )


def read_row(
    number: int, cells: Sequence[Any], layout: Sequence[tuple[int, Col, str]], context: Context
) -> Row:
    """Parse the cells the kind reads; a cell's error is kept for :meth:`Row.value`."""
    row = Row(number, {})
    for index, col, header in layout:
        raw = cells[index] if index < len(cells) else None
        cell = Cell(col, header, is_blank=blank(raw))
        if not cell.is_blank:
            try:
                cell.value = col.parse(raw, context)
            except CellError as exc:
                cell.error = str(exc)
        row.cells.setdefault(col.key, []).append(cell)
    return row
