"""Pagination shared by every list endpoint.

Page-number pagination (``count``, ``next``, ``previous``, ``results``): clients depend on the
shape. Deep pages are read with a *deferred join*: the page's ids are chosen by a narrow
subquery that only orders and skips (``SELECT id … ORDER BY … OFFSET n LIMIT k``, on the
index of the list's order), and the full rows, joins, annotations and prefetches are built
for those ``k`` ids only. A plain ``OFFSET n`` makes PostgreSQL build every skipped row with
its joins and correlated subqueries (the action-item list's visible-agreement annotation) and
throw it away: 9 s for the last page of 500,000 action items. Same rows, same order, same
number of queries.

The ``count`` is exact up to :data:`COUNT_LIMIT` rows and then stops counting: ``count`` is
the limit and ``count_exact`` is false (``count`` is "at least"). An exact ``COUNT(*)`` reads
every visible row: 14 ms for 8,000 meetings, ten times that for ten times the rows, on every
page request, while the page itself reads 50 rows through an index. Counting stops at the
limit (``SELECT count(*) FROM (SELECT id … LIMIT 10001)``), so a request costs the same
however many rows the scope holds. Past the limit the pages go on (``next`` is given while a
further row exists: the page reads one row more than it shows); ``page=last`` asks for the
exact count. Totals for reports come from ``/api/v1/stats/``.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination

# From this offset on a page's ids are chosen by the narrow subquery. Earlier pages keep the
# plain LIMIT/OFFSET (nothing to gain: the planner stops after a few rows anyway).
DEFERRED_JOIN_FROM = 500
#: Rows counted at most; past this ``count`` is this number and ``count_exact`` is false.
COUNT_LIMIT = 10_000


def _page_rows(object_list: Any, bottom: int, top: int) -> Any:
    """``object_list[bottom:top]``, as a deferred join when that is safe and worth it."""
    if (
        bottom < DEFERRED_JOIN_FROM
        or not isinstance(object_list, QuerySet)
        or object_list.query.combinator
        or object_list.query.distinct
        or object_list.query.is_sliced
        or not object_list.ordered
    ):
        return object_list[bottom:top]
    ids = object_list.values("pk")[bottom:top]
    return object_list.filter(pk__in=ids)[: top - bottom]


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

    @cached_property
    def count(self) -> int:
        """Rows counted up to :data:`COUNT_LIMIT` (+1 to know whether it was reached)."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        counted = rows.order_by().values("pk")[: COUNT_LIMIT + 1].count()
        if counted > COUNT_LIMIT:
            self.count_exact = False
            return COUNT_LIMIT
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
        return value

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)  # counts first
        bottom = (number - 1) * self.per_page
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


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "صفحه نامعتبر است."

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        page_number = request.query_params.get(self.page_query_param) or 1
        if page_number in self.last_page_strings:
            paginator.exact_count()
            return paginator.num_pages
        return page_number

    def get_paginated_response(self, data: Any) -> Any:
        response = super().get_paginated_response(data)
        paginator: Any = self.page.paginator  # type: ignore[union-attr]
        response.data["count_exact"] = paginator.count_exact
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["required"] = ["count", "count_exact", "results"]
        result["properties"]["count"] = {
            "type": "integer",
            "example": 123,
            "description": (
                f"تعداد ردیف‌ها؛ اگر بیش از {COUNT_LIMIT} باشد همین عدد است و "
                "count_exact نادرست (false) است. "
                f"The number of rows, counted up to {COUNT_LIMIT}: above that it is "
                f"{COUNT_LIMIT} and count_exact is false (page=last counts them all)."
            ),
        }
        result["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "Whether count is the exact number of rows.",
        }
        return result
