"""Persian text helpers: digit conversion, normalisation for search and uniqueness.

Persian text typed on different keyboards (Windows Arabic layout, Android, Mac) or pasted from
Word and news sites spells the same word with different code points: Arabic ي/ك instead of
Persian ی/ک, a zero-width non-joiner or a plain space between parts of a word, Persian or
Arabic-Indic digits. :func:`normalize` folds these variants in Python and
:func:`normalized_expression` does the same inside the database, from the same tables, so a
search for «شهرک صنعتی» finds «شهرك صنعتي».
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import (
    Exists,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower, Replace, Trim
from django.db.models.sql.compiler import SQLCompiler

from tracker.persian import (
    DELETED_CHARS,
    DIGIT_MAP,
    LETTER_MAP,
    SPACE_CHARS,
    normalize,
    to_latin_digits,
    to_persian_digits,
)
from tracker.persian import fold as _fold

__all__ = [
    "PersianNormalize",
    "normalize",
    "normalized_expression",
    "register_sqlite_function",
    "search_filter",
    "to_latin_digits",
    "to_persian_digits",
]

_M = TypeVar("_M", bound=Model)

#: A query is split into at most this many terms: each term adds one condition per field,
#: and nobody types more than a handful of words into a search box.
MAX_SEARCH_TERMS = 8


# --- Database side --------------------------------------------------------------------------


SQLITE_FUNCTION = "tracker_fa_normalize"


#: Modes of the SQL function: keep spaces, collapse them (``normalize``), or drop them.
_KEEP, _COLLAPSE, _REMOVE = 0, 1, 2


def _sqlite_normalize(value: str | None, mode: int) -> str | None:
    if value is None:
        return None
    if mode == _REMOVE:
        return "".join(_fold(value).split())
    return normalize(value) if mode == _COLLAPSE else _fold(value)


def register_sqlite_function(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give an SQLite connection the ``tracker_fa_normalize(text, collapse)`` function.

    Connected to ``connection_created`` (new connections, including those that evaluate a
    functional index on insert) and called again when an expression is compiled, for a
    connection opened before this module was imported.
    """
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw is not None:
        raw.create_function(SQLITE_FUNCTION, 2, _sqlite_normalize, deterministic=True)


connection_created.connect(register_sqlite_function, dispatch_uid="tracker.text.sqlite")


class PersianNormalize(Func):
    """SQL twin of :func:`normalize` (optionally without the whitespace collapsing).

    - PostgreSQL folds every character in one ``TRANSLATE`` call.
    - SQLite calls :func:`normalize` itself through a registered deterministic function: its
      parser overflows on the ~60 nested ``REPLACE`` calls the tables would need.
    - Any other backend gets the nested ``REPLACE`` calls (built at compile time, since the
      backend is not known before).
    """

    output_field = TextField()

    def __init__(
        self,
        expression: Combinable | str,
        *,
        collapse_whitespace: bool = True,
        remove_spaces: bool = False,
    ):
        super().__init__(expression)
        self.collapse_whitespace = collapse_whitespace
        # Search compares words with every space and zero-width joiner taken out, so that
        # «شهرکهای» (typed without the ZWNJ), «شهرک‌های» and «شهرک های» all meet.
        self.remove_spaces = remove_spaces

    @property
    def _mode(self) -> int:
        if self.remove_spaces:
            return _REMOVE
        return _COLLAPSE if self.collapse_whitespace else _KEEP

    def _portable(self) -> Func:
        """Nested ``REPLACE``/``TRIM``/``LOWER``: works on every backend Django supports."""
        expr: Any = self.get_source_expressions()[0]
        for src, dst in itertools.chain(LETTER_MAP.items(), DIGIT_MAP.items()):
            expr = Replace(expr, Value(src), Value(dst))
        for char in DELETED_CHARS:
            expr = Replace(expr, Value(char))
        if self.remove_spaces:
            for char in SPACE_CHARS + " \t\n\r":
                expr = Replace(expr, Value(char))
        elif self.collapse_whitespace:
            for char in SPACE_CHARS:
                expr = Replace(expr, Value(char), Value(" "))
            # No regex replace in stock SQLite: each pass halves every run of spaces, so five
            # passes collapse runs of up to 32 spaces, far more than real text contains.
            for _ in range(5):
                expr = Replace(expr, Value("  "), Value(" "))
            expr = Trim(expr)
        return Lower(expr, output_field=TextField())

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        return compiler.compile(self._portable())

    def as_sqlite(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        register_sqlite_function(connection)
        call = Func(
            self.get_source_expressions()[0],
            Value(self._mode),
            function=SQLITE_FUNCTION,
            output_field=TextField(),
        )
        return compiler.compile(call)

    def as_postgresql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        deleted = DELETED_CHARS
        if self.remove_spaces:
            mapped = {**LETTER_MAP, **DIGIT_MAP}
            deleted += SPACE_CHARS + " \t\n\r"
        else:
            mapped = {**LETTER_MAP, **DIGIT_MAP, **dict.fromkeys(SPACE_CHARS, " ")}
        # TRANSLATE deletes the characters of ``from`` that have no counterpart in ``to``,
        # so the deleted characters go last.
        source = "".join(mapped) + deleted
        target = "".join(mapped.values())
        expr: Any = Func(
            self.get_source_expressions()[0],
            Value(source),
            Value(target),
            function="TRANSLATE",
            output_field=TextField(),
        )
        if self.collapse_whitespace and not self.remove_spaces:
            expr = Func(
                expr,
                Value(r"\s+"),
                Value(" "),
                Value("g"),
                function="REGEXP_REPLACE",
                output_field=TextField(),
            )
            expr = Func(expr, function="BTRIM", output_field=TextField())
        return compiler.compile(Lower(expr, output_field=TextField()))


def normalized_expression(field_name: str, *, collapse_whitespace: bool = True) -> Func:
    """Return a database expression computing :func:`normalize` of ``field_name``.

    ``collapse_whitespace=False`` skips the whitespace folding: :func:`search_filter` uses
    it because its terms never contain whitespace, so the extra work per row buys nothing.
    """
    return PersianNormalize(F(field_name), collapse_whitespace=collapse_whitespace)


_alias_counter: Iterator[int] = itertools.count()


def _is_multi_valued(model: type[Model], path: str) -> bool:
    """Whether the lookup ``path`` crosses a to-many relation (and so can multiply rows)."""
    opts = model._meta
    for part in path.split("__"):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or lookup suffix: no further joins
        if not field.is_relation:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        related = field.related_model
        if related is None or isinstance(related, str):
            return False
        opts = related._meta
    return False


def search_filter(queryset: QuerySet[_M], query: str, fields: Sequence[str]) -> QuerySet[_M]:
    """Keep the rows where every term of ``query`` occurs in the normalised value of a field.

    Terms are the whitespace-separated words of ``normalize(query)``; a term matches when it
    is a substring of at least one of ``fields`` (which may traverse relations), compared with
    spaces and zero-width joiners taken out of the field, so a word typed with, without or
    with a space instead of its ZWNJ is found. An empty query returns ``queryset`` unchanged.

    Fields that cross a to-many relation are searched in an ``EXISTS`` subquery so that the
    result never holds a row twice; within it, all terms are matched against the same related
    row (searching attendees for «علی رضایی» wants one person with both names).
    """
    terms = normalize(query).split()[:MAX_SEARCH_TERMS]
    if not terms or not fields:
        return queryset
    model = queryset.model
    # Unique aliases: the caller may have annotated the queryset, or may search twice.
    n = next(_alias_counter)
    aliases = {
        f"_search_{n}_{i}": PersianNormalize(F(field), remove_spaces=True)
        for i, field in enumerate(fields)
    }
    condition = Q()
    for term in terms:
        condition &= reduce(or_, (Q(**{f"{alias}__contains": term}) for alias in aliases))
    if any(_is_multi_valued(model, field) for field in fields):
        matches = model._default_manager.filter(pk=OuterRef("pk")).alias(**aliases)
        return queryset.filter(Exists(matches.filter(condition)))
    return queryset.alias(**aliases).filter(condition)
