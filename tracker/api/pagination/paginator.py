"""Django's paginator with a limited count, deferred joins for deep pages, and pages read
backwards from the end (see the package's docstring)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from tracker.search import is_searched

from . import limits


class PastPageLimit(EmptyPage):
    """A page number further than :data:`MAX_PAGE_OFFSET` rows from both ends."""


def _page_rows(object_list: Any, bottom: int, top: int) -> Any:
    """``object_list[bottom:top]``, as a deferred join when that is safe and worth it."""
    if (
        bottom < limits.DEFERRED_JOIN_FROM
        or not isinstance(object_list, QuerySet)
        or object_list.query.combinator
        or object_list.query.distinct
        or object_list.query.is_sliced
        or not object_list.ordered
    ):
        return object_list[bottom:top]
    ids = object_list.values("pk")[bottom:top]
    return object_list.filter(pk__in=ids)[: top - bottom]


def limited_count(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """(count, exact): the rows counted up to :data:`COUNT_LIMIT` (+1 to know whether it
    was reached) in ``SELECT count(*) FROM (SELECT id … LIMIT n)``, without the order."""
    limit = (
        min(limits.COUNT_LIMIT, limits.SEARCH_COUNT_LIMIT)
        if is_searched(queryset)
        else limits.COUNT_LIMIT
    )
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    return min(counted, limit), counted <= limit


class OpenEndedPage(Page):
    """A page of a list whose count stopped at the limit: whether a next page exists is
    known from the one extra row read with the page."""

    def __init__(self, object_list: Any, number: int, paginator: Any, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more


class DeferredJoinPaginator(DjangoPaginator):
    count_exact = True
    # One Persian sentence for every bad page (DRF's message is "{message}" below).
    default_error_messages = {
        "invalid_page": limits.INVALID_PAGE,
        "min_page": limits.INVALID_PAGE,
        "no_results": limits.INVALID_PAGE,
    }

    @cached_property
    def count(self) -> int:
        """Rows counted up to :data:`COUNT_LIMIT`; see :func:`limited_count`."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        counted, self.count_exact = limited_count(rows)
        return counted

    def exact_count(self) -> int:
        """The exact number of rows, however many (``page=last`` needs it)."""
        limited = self.count
        if self.count_exact:
            return limited
        rows = self.object_list
        exact = rows.count() if isinstance(rows, QuerySet) else len(rows)
        self.__dict__["count"] = exact
        self.__dict__.pop("num_pages", None)
        self.count_exact = True
        return exact

    def validate_number(self, number: Any) -> int:
        self.count  # noqa: B018  (counting decides count_exact)
        if self.count_exact:
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        # No list is that long; keep the SQL in range.
        if (value - 1) * self.per_page > limits.MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        return value

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)  # counts first
        bottom = (number - 1) * self.per_page
        if bottom >= limits.MAX_PAGE_OFFSET:
            return self._page_from_the_end(number, bottom)
        if not self.count_exact:
            rows = list(_page_rows(self.object_list, bottom, bottom + self.per_page + 1))
            if not rows and number > 1:
                raise EmptyPage(self.error_messages["no_results"])
            return OpenEndedPage(
                rows[: self.per_page], number, self, has_more=len(rows) > self.per_page
            )
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = _page_rows(self.object_list, bottom, top)
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]

    def _page_from_the_end(self, number: int, bottom: int) -> Page:
        """A page far from the start: read backwards from the end when it is near it."""
        rows = self.object_list
        if not self.count_exact or not isinstance(rows, QuerySet) or not rows.ordered:
            raise PastPageLimit(limits.past_page_limit_message())
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        from_end = self.count - top
        if from_end >= limits.MAX_PAGE_OFFSET:
            raise PastPageLimit(limits.past_page_limit_message())
        backwards = list(_page_rows(rows.reverse(), from_end, self.count - bottom))
        return self._get_page(backwards[::-1], number, self)  # type: ignore[attr-defined]
