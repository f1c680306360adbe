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
``search_rank``: 1 when the whole phrase occurs as typed (exact phrase first), plus the
pg_trgm ``word_similarity`` of the phrase to the first :data:`RANK_PREFIX` characters of the
text (the short fields: title, place, names), then the list's own order.

Checked first: ``django.contrib.postgres.search`` (full-text ``SearchVector``/``SearchQuery``
and the trigram lookups). PostgreSQL's full-text search has no Persian dictionary or stemmer
(the ``simple`` configuration would only split words, and it matches whole lexemes or
prefixes, not a word inside another such as «شهرکهای»), and the trigram lookups
(``trigram_similar``, ``trigram_word_similar``) are fuzzy thresholds, not "contains": a
search that must find every row holding the term needs ``LIKE``, which pg_trgm's GIN
opclass serves. So the filter is Django's ``contains`` lookup on the stored column and only
the rank uses pg_trgm's functions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Case, F, FloatField, Func, Model, Q, QuerySet, Value, When
from django.db.models.functions import Left

from tracker.persian import normalize

__all__ = [
    "MAX_SEARCH_TERMS",
    "SEARCH_RANK",
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
#: The similarity is taken on the text's first characters: the short fields come first
#: (title, place, host, names), and ``word_similarity`` over a whole meeting's minutes cost
#: 0.4 ms per matching row (650 ms for 1,300 matches at scale 1).
RANK_PREFIX = 256


def search_terms(query: str) -> list[str]:
    """The terms of ``query`` as the column stores text: normalised, one per word."""
    return normalize(query or "").split()[:MAX_SEARCH_TERMS]


class _WordSimilarity(Func):
    # django.contrib.postgres.search.TrigramWordSimilarity, without installing the app
    # (its lookups and the app's checks are not needed for one function).
    function = "WORD_SIMILARITY"
    output_field = FloatField()


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
    rank = Case(
        When(**{f"{column}__contains": phrase}, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    ) + _WordSimilarity(Value(phrase), Left(F(column), RANK_PREFIX))
    return queryset.alias(**{SEARCH_RANK: rank})


def is_searched(queryset: QuerySet[Any]) -> bool:
    """Whether :func:`indexed_search` filtered ``queryset`` (its count limit is lower)."""
    return SEARCHED in queryset.query.annotations


def is_ranked(queryset: QuerySet[Any]) -> bool:
    return SEARCH_RANK in queryset.query.annotations


def ranked(queryset: QuerySet[_M], *order: str) -> QuerySet[_M]:
    """``queryset.order_by(*order)``, best match first when it was searched with a rank."""
    if is_ranked(queryset):
        return queryset.order_by(f"-{SEARCH_RANK}", *order)
    return queryset.order_by(*order)
