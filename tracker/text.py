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
from django.db.models.functions import Lower
from django.db.models.sql.compiler import SQLCompiler

from tracker.persian import (
    DELETED_CHARS,
    DIGIT_MAP,
    LETTER_MAP,
    SPACE_CHARS,
    normalize,
    standardize,
    to_latin_digits,
    to_persian_digits,
)

__all__ = [
    "PersianNormalize",
    "normalize",
    "normalized_expression",
    "search_filter",
    "standardize",
    "to_latin_digits",
    "to_persian_digits",
]

_M = TypeVar("_M", bound=Model)

#: A query is split into at most this many terms: each term adds one condition per field,
#: and nobody types more than a handful of words into a search box.
MAX_SEARCH_TERMS = 8


# --- Database side --------------------------------------------------------------------------


class PersianNormalize(Func):
    """SQL twin of :func:`normalize` (optionally without the whitespace collapsing).

    PostgreSQL folds every character of the tables above in one ``TRANSLATE`` call, then
    collapses whitespace with ``REGEXP_REPLACE`` and lower-cases.
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

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
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
