"""A kind of import: its columns, how a row finds its stored object, creates and updates it.

Each kind calls the services the forms call (so history, reminders, scoping and roles are
the same) and passes only the fields a row changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.exceptions import ApplicationError
from tracker.text import normalize

from .base import Col, Context, Row, RowError, integer, plain, row_error, text

ID = Col("id", ("شناسه", "id"), plain(integer))
#: A reference other rows of the same file use for this row (an action item's meeting).
REF = Col("ref", ("مرجع", "ref"), plain(text))

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class Kind:
    """Base of the five kinds (see the modules next to this one)."""

    name: ClassVar[str]
    #: Sheet titles of a workbook that hold this kind (the export's first).
    sheet_titles: ClassVar[tuple[str, ...]]
    columns: ClassVar[list[Col]]
    #: Headers the export writes that the import does not read (computed, read-only).
    read_only_headers: ClassVar[tuple[str, ...]] = ()
    #: Keys a new row must have.
    required: ClassVar[tuple[str, ...]] = ()

    def all_columns(self) -> list[Col]:
        return [ID, REF, *self.columns]

    def layout(self, headers: Sequence[str]) -> tuple[list[tuple[int, Col, str]], list[str]]:
        """Which column of the file each Col reads, and the headers nobody reads."""
        by_header: dict[str, Col] = {}
        for col in self.all_columns():
            for header in col.headers:
                by_header.setdefault(normalize(header), col)
        read_only = {normalize(h) for h in self.read_only_headers}
        layout: list[tuple[int, Col, str]] = []
        unknown: list[str] = []
        for index, header in enumerate(headers):
            if not header:
                continue
            found = by_header.get(normalize(header))
            if found is not None:
                layout.append((index, found, header))
            elif normalize(header) not in read_only:
                unknown.append(header)
        return layout, unknown

    # --- what each kind fills in ---------------------------------------------------------

    def get(self, context: Context, pk: int) -> Any | None:
        raise NotImplementedError

    def current(self, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def match(self, context: Context, values: dict[str, Any]) -> Any | None:
        """The stored object a row without an id stands for (its natural key), if any."""
        return None

    def create(self, context: Context, row: Row, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(
        self, context: Context, row: Row, obj: Any, changes: dict[str, Any], current: dict[str, Any]
    ) -> Any:
        raise NotImplementedError

    # --- the row -------------------------------------------------------------------------

    def keys(self) -> list[str]:
        seen: dict[str, None] = {}
        for col in self.columns:
            seen.setdefault(col.key, None)
        return list(seen)

    def apply(self, context: Context, row: Row) -> str:
        """Create, update or leave the row's object; raises RowError with every problem."""
        errors: dict[str, list[str]] = {}
        pk = self._value(row, errors, "id")
        if errors:
            raise RowError(_by_header(row, errors))
        obj = None
        values: dict[str, Any] = {}
        if pk is not None:
            obj = self.get(context, pk)
            if obj is None:
                raise row_error(
                    row.header("id"),
                    f"ردیفی با شناسه {pk} پیدا نشد یا به آن دسترسی ندارید.",
                )
        else:
            for key in self.keys():
                if row.has(key):
                    values[key] = self._value(row, errors, key)
            if not errors:
                obj = self.match(context, values)
        if obj is not None:
            errors = {}
            current = self.current(obj)
            changes: dict[str, Any] = {}
            for key in self.keys():
                if not row.has(key):
                    continue
                value = self._value(row, errors, key, current.get(key), existing=True)
                if key not in errors and not row.unchanged(key, value, current.get(key)):
                    changes[key] = value
            if errors:
                raise RowError(_by_header(row, errors))
            outcome = UNCHANGED
            if changes:
                obj = self._call(
                    row,
                    lambda: self.update(context, row, obj, changes, current),
                    savepoint=not self.one_step(changes, creating=False),
                )
                outcome = UPDATED
        else:
            for key in self.required:
                if values.get(key) in (None, "", []) and key not in errors:
                    header = row.header(key) or self.header_of(key)
                    errors.setdefault(key, []).append(f"ستون «{header}» برای ردیف تازه لازم است.")
            if errors:
                raise RowError(_by_header(row, errors))
            obj = self._call(
                row,
                lambda: self.create(context, row, values),
                savepoint=not self.one_step(values, creating=True),
            )
            outcome = CREATED
        ref = self._value(row, errors, "ref")
        if ref:
            context.refs[(self.name, normalize(ref))] = obj
        return outcome

    def header_of(self, key: str) -> str:
        for col in self.columns:
            if col.key == key:
                return col.headers[0]
        return key

    @staticmethod
    def _value(
        row: Row,
        errors: dict[str, list[str]],
        key: str,
        current: Any = None,
        *,
        existing: bool = False,
    ) -> Any:
        try:
            return row.value(key, current, existing=existing)
        except RowError as exc:
            for header, messages in exc.errors.items():
                errors.setdefault(key, []).extend(f"{header}\x00{m}" for m in messages)
            return None

    def one_step(self, fields: dict[str, Any], *, creating: bool) -> bool:
        """Whether creating (or updating) with these fields calls one service at most.

        Every service is one transaction (a savepoint inside the import's): a row that
        calls one service is undone by the service's own savepoint when it fails, so it
        needs no savepoint of its own (two queries a row saved). A row that may call
        several (a create then a status move) runs them in a savepoint of the row, so a
        failing second step takes the first with it. Unknown: several."""
        return False

    def _call(self, row: Row, action: Any, *, savepoint: bool = True) -> Any:
        """Run the row's services (in a savepoint unless they are one service); their
        field errors become errors of the row's columns."""
        try:
            if savepoint:
                with transaction.atomic():
                    return action()
            return action()
        except ValidationError as exc:
            raise RowError(self.service_errors(row, exc)) from None
        except ApplicationError as exc:
            key = self.field_key(exc.field) if exc.field else ""
            raise RowError({row.header(key) if key else "": [exc.message]}) from None

    def field_key(self, name: str) -> str:
        """The value key of a service's field name (the same name unless a kind says so)."""
        return name

    def service_errors(self, row: Row, exc: ValidationError) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                key = self.field_key(name.split(".")[0])
                header = row.header(key) if key != "__all__" else ""
                errors.setdefault(header, []).extend(messages)
        else:
            errors[""] = list(exc.messages)
        return errors


def _by_header(row: Row, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Errors keyed by value key (messages carry their header) → keyed by header."""
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        for message in messages:
            header, _, text_ = message.partition("\x00")
            if not _:
                header, text_ = row.header(key), message
            out.setdefault(header, []).append(text_)
    return out
