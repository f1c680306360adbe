"""Pagination shared by every list endpoint.

Page-number pagination (``count``, ``next``, ``previous``, ``results``): clients depend on the
shape. Deep pages are read with a *deferred join*: the page's ids are chosen by a narrow
subquery that only orders and skips (``SELECT id … ORDER BY … OFFSET n LIMIT k``, on the
index of the list's order), and the full rows, joins, annotations and prefetches are built
for those ``k`` ids only. A plain ``OFFSET n`` makes PostgreSQL build every skipped row with
its joins and correlated subqueries (the action-item list's visible-agreement annotation) and
throw it away: 9 s for the last page of 500,000 action items. Same rows, same order, same
number of queries; the ``COUNT(*)`` stays exact.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from rest_framework import pagination

# From this offset on a page's ids are chosen by the narrow subquery. Earlier pages keep the
# plain LIMIT/OFFSET (nothing to gain: the planner stops after a few rows anyway).
DEFERRED_JOIN_FROM = 500


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


class DeferredJoinPaginator(DjangoPaginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
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
