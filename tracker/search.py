"""``q`` on the lists, served by trigram indexes on stored normalised text (issue 17).

Every searchable model has a ``search_text`` column that database triggers keep (see
organizations/migrations/0004_search_text.py): its fields and the related rows it shows,
folded by ``tracker_search_fold`` (the SQL twin of :func:`tracker.persian.fold` with every
space and zero-width joiner removed), one space between two fields. A GIN index with
``gin_trgm_ops`` (pg_trgm) serves ``LIKE '%term%'`` on it, so a search reads the index
instead of normalising every row of the scope (1.3–13 s at 10,000–100,000 meetings before).

Matching is what :func:`tracker.text.search_filter` did: the terms are the words of
``normalize(q)``, each must occur in one field (a term has no space, the fields are
separated by one, so a term never spans two fields) and the comparison ignores spaces and
ZWNJ inside a field (so «شهرک‌ها», «شهرکها», «شهرک ها» meet). One difference: the related
rows (attendees, statements) are one text with the meeting's own fields, so two terms may
match two different attendees (before, both had to match the same one).

Ranking: with one term every match contains the whole query, so the list keeps its own
order (and its index and keyset cursors). With two or more terms the rows are ordered by
``search_rank``: 2 when the words occur as one phrase in the title (the first field), 1 when
they do elsewhere, 0 when they occur apart; then the list's own order. Only the
:data:`RANKED_CANDIDATES` first matches in the list's own order are ranked
(:func:`among_candidates`): no index can order by the rank, so ranking every match reads
and sorts every match (150,000 rows, 1.7 s, for «شهرک صنعتی» at 1,000,000 meetings; ten
times the work at ten times the data), while the candidates are read in the list's order,
through the list's index when the words are frequent and the trigram index when they are
not, and stop at the limit (0.36 s at 1,000,000 meetings, the same at 100,000). pg_trgm's
``word_similarity`` was the first rank: it costs a trigram extraction of every matching
row's text before the first page can be sorted, 0.25–0.4 ms a row on this machine (450–650
ms for the 1,300–1,500 rows of «شهرک صنعتی» at scale 1, 3.5× the list), even on the
text's first 256 characters only; the phrase tiers cost a ``LIKE`` and a ``split_part``.

Checked first: ``django.contrib.postgres.search`` (full-text ``SearchVector``/``SearchQuery``
and the trigram lookups). PostgreSQL's full-text search has no Persian dictionary or stemmer
(the ``simple`` configuration would only split words, and it matches whole lexemes or
prefixes, not a word inside another such as «شهرکهای»), and the trigram lookups
(``trigram_similar``, ``trigram_word_similar``) are fuzzy thresholds, not "contains": a
search that must find every row holding the term needs ``LIKE``, which pg_trgm's GIN
opclass serves. So the filter is Django's ``contains`` lookup on the stored column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode

from tracker.persian import normalize

__all__ = [
    "MAX_SEARCH_TERMS",
    "RANKED_CANDIDATES",
    "SEARCH_RANK",
    "among_candidates",
    "indexed_search",
    "is_ranked",
    "is_searched",
    "ranked",
    "search_terms",
]

_M = TypeVar("_M", bound=Model)

#: The alias of the rank on a searched queryset (ordered by it, descending, when present).
SEARCH_RANK = "search_rank"
#: The alias that marks a searched queryset (never in the SQL: an unused alias).
SEARCHED = "search_match"
#: A query is split into at most this many terms (as tracker.text.search_filter does).
MAX_SEARCH_TERMS = 8
#: A ranked search ranks this many matches at most: the first in the list's own order. More
#: than the count limit under ``q`` (tracker.api.pagination.limits.SEARCH_COUNT_LIMIT), so
#: the count and «بیش از ۱٬۰۰۰» are the same as without the limit; the pages end after this
#: many rows.
RANKED_CANDIDATES = 2_000


def search_terms(query: str) -> list[str]:
    """The terms of ``query`` as the column stores text: normalised, one per word."""
    return normalize(query or "").split()[:MAX_SEARCH_TERMS]


def _contains(expression: Func, text: str) -> Q:
    # STRPOS on an expression: Q lookups take field names only.
    position = Func(expression, Value(text), function="STRPOS", output_field=IntegerField())
    return Q(GreaterThan(position, 0))


def indexed_search(queryset: QuerySet[_M], query: str, column: str = "search_text") -> QuerySet[_M]:
    """Rows of ``queryset`` whose ``column`` holds every term of ``query``; with two or more
    terms, aliased with :data:`SEARCH_RANK` (order with :func:`ranked`). An empty query
    returns ``queryset`` unchanged."""
    terms = search_terms(query)
    if not terms:
        return queryset
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{column}__contains": term})
    queryset = queryset.filter(condition).alias(**{SEARCHED: Value(True)})
    if len(terms) == 1:
        return queryset
    phrase = "".join(terms)
    # 2: the phrase in the first field (the title: fields hold no space, one space
    # separates them); 1: the phrase elsewhere; 0: the words apart. Plain LIKE and
    # split_part: no per-row trigram work (see the module docstring).
    first_field = Func(
        F(column), Value(" "), Value(1), function="SPLIT_PART", output_field=TextField()
    )
    rank = Case(
        When(Q(**{f"{column}__contains": phrase}) & _contains(first_field, phrase), then=2),
        When(**{f"{column}__contains": phrase}, then=1),
        default=0,
        output_field=IntegerField(),
    )
    return queryset.alias(**{SEARCH_RANK: rank})


def is_searched(queryset: QuerySet[Any]) -> bool:
    """Whether :func:`indexed_search` filtered ``queryset`` (its count limit is lower)."""
    return SEARCHED in queryset.query.annotations


def is_ranked(queryset: QuerySet[Any]) -> bool:
    return SEARCH_RANK in queryset.query.annotations


def among_candidates(queryset: QuerySet[_M], order: Sequence[Any]) -> QuerySet[_M]:
    """The rows of ranked ``queryset`` among its :data:`RANKED_CANDIDATES` first in ``order``
    (the list's own order, without the rank).

    The candidates are a subquery with a LIMIT (PostgreSQL runs it once, on its own): the
    conditions, scope included, read through the list's order index or the trigram index,
    stopping at the limit; the outer query then ranks and pages at most that many rows,
    fetched by primary key, instead of ranking every match. Results only differ from ranking
    every match when there are more matches than the limit, where the count is already «more
    than 1,000».

    The candidates carry every condition, so the outer query drops them when their joins
    are all to one row (a join to many could multiply the rows): otherwise it would
    evaluate the scope and the words a second time for the same rows."""
    if not is_ranked(queryset) or queryset.query.distinct or queryset.query.combinator:
        return queryset
    candidates = queryset.order_by(*order).values("pk")[:RANKED_CANDIDATES]
    outer = queryset.all()
    if _joins_are_to_one(outer.query):
        outer.query.where = WhereNode()
    return outer.filter(pk__in=candidates)


def _joins_are_to_one(query: Any) -> bool:
    """Whether every join the conditions use follows a foreign key or a one-to-one field
    forwards: such a join neither multiplies the rows nor (for a row that is a candidate, so
    passed it already) removes one, so the outer query can drop the conditions."""
    for alias, join in query.alias_map.items():
        if not isinstance(join, Join) or not query.alias_refcount.get(alias, 0):
            continue  # the model's table, or a join nothing refers to (yet)
        field = join.join_field
        if not (getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)):
            return False
    return True


def ranked(queryset: QuerySet[_M], *order: str) -> QuerySet[_M]:
    """``queryset.order_by(*order)``, best match first when it was searched with a rank
    (among the candidates of :func:`among_candidates`)."""
    if is_ranked(queryset):
        return among_candidates(queryset, order).order_by(f"-{SEARCH_RANK}", *order)
    return queryset.order_by(*order)
