"""The pages' pager: the API's count limit and page-number limit (tracker/api/pagination/).

A list page counts its rows up to ``COUNT_LIMIT`` (past it the pager says «more than N»
instead of counting every row of the scope, which a search of a ministry's scope would
otherwise do on every page) and its page numbers stop ``MAX_PAGE_OFFSET`` rows from the
start: at 25 rows a page that is page 400, and the pager says to narrow the filters instead
of offering a page PostgreSQL would have to walk 10,000 rows to reach. Django's own
``Paginator`` counts exactly and offers every page; this reuses the API's paginator so both
ways in behave alike.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page

from tracker.api import pagination

__all__ = ["list_page"]


def list_page(queryset: Any, number: Any, per_page: int) -> Page:
    """Page ``number`` of ``queryset`` (any bad number: the first or the last page, as
    ``Paginator.get_page``), with ``at_limit`` set when further pages are not offered."""
    paginator = pagination.DeferredJoinPaginator(queryset, per_page)
    try:
        page = paginator.get_page(number)
    except pagination.PastPageLimit:
        # Past the page-number limit (a count that is not exact accepts any number; a
        # bookmark or a crawler asks for it): the last page offered, which says so.
        page = paginator.page(max(1, pagination.limits.MAX_PAGE_OFFSET // per_page))
    page.at_limit = page.has_next() and page.number * per_page >= pagination.limits.MAX_PAGE_OFFSET  # type: ignore[attr-defined]
    return page
