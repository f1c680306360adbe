"""Pagination shared by every list endpoint.

Page-number pagination (``count``, ``next``, ``previous``, ``results``): clients depend on the
shape. Deep pages are read with a *deferred join*: the page's ids are chosen by a narrow
subquery that only orders and skips (``SELECT id … ORDER BY … OFFSET n LIMIT k``, on the
index of the list's order), and the full rows, joins, annotations and prefetches are built
for those ``k`` ids only. A plain ``OFFSET n`` makes PostgreSQL build every skipped row with
its joins and correlated subqueries (the action-item list's visible-agreement annotation) and
throw it away: 9 s for the last page of 500,000 action items. Same rows, same order, same
number of queries.

The ``count`` is exact up to :data:`COUNT_LIMIT` rows (:data:`SEARCH_COUNT_LIMIT` under
``q``) and then stops counting: ``count`` is the limit and ``count_exact`` is false
(``count`` is "at least"). An exact ``COUNT(*)`` reads every visible row: 14 ms for 8,000
meetings, ten times that for ten times the rows, on every page request, while the page
itself reads 50 rows through an index. Counting stops at the limit (``SELECT count(*) FROM
(SELECT id … LIMIT 10001)``), so a request costs the same however many rows the scope holds.
Past the limit the pages go on (``next`` is given while a further row exists: the page reads
one row more than it shows); ``page=last`` asks for the exact count. Totals for reports come
from ``/api/v1/stats/``.

Deep page numbers stop at :data:`MAX_PAGE_OFFSET` rows (issue 17): ``page=N`` past it would
make PostgreSQL walk and drop every row before it (675 ms at page N of 500,000 action items
against 37 ms through the cursor). Past the offset a page is still served when the count is
exact and the page lies within :data:`MAX_PAGE_OFFSET` rows of the *end* (``page=last`` and
its neighbours): it is read in the reversed order from the end, as cheap as the first page.
Any other page past it is a Persian 404 that says to follow ``next``. ``next`` is a keyset
cursor whenever the order allows it, and those go on to the end; when the order does not
(a search ranked by similarity, an order on a nullable column) ``next`` is null at the limit
and the response's ``page_limit`` says why.

``next`` links are *keyset* cursors (``?cursor=…``) whenever the list's order allows it
(plain, non-null columns of the row, ending with the primary key, which is appended when
missing): the next page is ``WHERE (order columns) > (the last row's)`` read from the
order's index, so the 8,000th page costs what the 2nd does and a client reading a whole
list through ``next`` does not pay O(offset) per page. The cursor carries the page number
(for ``previous``), the order and the last row's values; the scope filters apply to it as
to any page. ``page=N`` keeps working for jumping to a page.

The cursor is opaque: its JSON is encrypted and authenticated with AES-SIV (see
:func:`seal_cursor`), because the last row's values (a person's name, an agreement's
reference) would otherwise be readable in access logs and ``Referer`` headers. The
encryption is deterministic: the same page always gets the same ``next`` link, so a list's
body, and its ETag, stay the same while the data does (a random IV would defeat the 304s).
A cursor the API did not make (forged, altered, cut short, made with another key, or a
plain base64 one from before the encryption) is a Persian 404 like any bad cursor.

A package: ``limits`` (the numbers and messages; tests lower them there), ``paginator``
(Django's side), ``cursor`` (keyset order and sealing) and ``page_number`` (DRF's side).
Callers import from here.
"""

from __future__ import annotations

from . import limits
from .cursor import keyset_order, open_cursor, seal_cursor
from .page_number import PageNumberPagination
from .paginator import DeferredJoinPaginator, OpenEndedPage, PastPageLimit, limited_count

__all__ = [
    "DeferredJoinPaginator",
    "OpenEndedPage",
    "PageNumberPagination",
    "PastPageLimit",
    "keyset_order",
    "limited_count",
    "limits",
    "open_cursor",
    "seal_cursor",
]
