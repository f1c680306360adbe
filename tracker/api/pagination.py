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
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Model, Q, QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from tracker.search import is_searched

# From this offset on a page's ids are chosen by the narrow subquery. Earlier pages keep the
# plain LIMIT/OFFSET (nothing to gain: the planner stops after a few rows anyway).
DEFERRED_JOIN_FROM = 500
#: Rows counted at most; past this ``count`` is this number and ``count_exact`` is false.
COUNT_LIMIT = 10_000
#: The same under ``q`` (tracker/search.py): each counted match is one more row read and
#: rechecked through the trigram index, so a frequent word would cost ten times the page.
SEARCH_COUNT_LIMIT = 1_000
#: Past this offset a page is empty without asking the database (OFFSET is a bigint).
MAX_OFFSET = 2**53
#: Page numbers reach this many rows from either end of a list; further on, ``next``.
MAX_PAGE_OFFSET = 10_000
INVALID_PAGE = "صفحه نامعتبر است."
PAST_PAGE_LIMIT = (
    "صفحه نامعتبر است: شماره صفحه فقط تا ردیف {limit} از ابتدا یا از انتهای فهرست پذیرفته "
    "می‌شود. برای صفحه‌های بعد پیوند next (cursor) را دنبال کنید یا فیلترها را محدودتر کنید."
)


def past_page_limit_message() -> str:
    from tracker.persian import to_persian_digits

    return PAST_PAGE_LIMIT.format(limit=to_persian_digits(MAX_PAGE_OFFSET))


class PastPageLimit(EmptyPage):
    """A page number further than :data:`MAX_PAGE_OFFSET` rows from both ends."""


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


def limited_count(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """(count, exact): the rows counted up to :data:`COUNT_LIMIT` (+1 to know whether it
    was reached) in ``SELECT count(*) FROM (SELECT id … LIMIT n)``, without the order."""
    limit = min(COUNT_LIMIT, SEARCH_COUNT_LIMIT) if is_searched(queryset) else COUNT_LIMIT
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
        "invalid_page": INVALID_PAGE,
        "min_page": INVALID_PAGE,
        "no_results": INVALID_PAGE,
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
        if (value - 1) * self.per_page > MAX_OFFSET:  # no list is that long; keep SQL in range
            raise EmptyPage(self.error_messages["no_results"])
        return value

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)  # counts first
        bottom = (number - 1) * self.per_page
        if bottom >= MAX_PAGE_OFFSET:
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
            raise PastPageLimit(past_page_limit_message())
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        from_end = self.count - top
        if from_end >= MAX_PAGE_OFFSET:
            raise PastPageLimit(past_page_limit_message())
        backwards = list(_page_rows(rows.reverse(), from_end, self.count - bottom))
        return self._get_page(backwards[::-1], number, self)  # type: ignore[attr-defined]


Order = list[tuple[Any, bool]]  # (model field, descending)


def keyset_order(queryset: QuerySet[Any]) -> Order | None:
    """The queryset's order as (field, descending) pairs ending with the primary key, or
    None when keyset paging cannot follow it (expressions, related or nullable columns)."""
    query = queryset.query
    names = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if not names or query.combinator or query.distinct:
        return None
    meta = queryset.model._meta
    pk = meta.pk
    order: Order = []
    for name in names:
        if not isinstance(name, str) or name == "?":
            return None
        descending = name.startswith("-")
        bare = name.lstrip("-")
        try:
            field = pk if bare == "pk" else meta.get_field(bare)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.null or field.is_relation:
            return None
        order.append((field, descending))  # type: ignore[arg-type]
        if field == pk:
            return order
    order.append((pk, order[-1][1]))  # type: ignore[arg-type]
    return order


def _after(order: Order, values: list[Any]) -> Q:
    """Rows after ``values`` in ``order``, with the first column's bound stated alone so
    PostgreSQL starts the index scan there."""
    first, first_descending = order[0]
    q = Q(pk__in=[])
    equal: dict[str, Any] = {}
    for (field, descending), value in zip(order, values, strict=True):
        q |= Q(**equal, **{f"{field.attname}__{'lt' if descending else 'gt'}": value})
        equal[field.attname] = value
    bound = Q(**{f"{first.attname}__{'lte' if first_descending else 'gte'}": values[0]})
    return bound & q


def _encode(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


#: HKDF's ``info`` for the cursor key.
_CURSOR_KEY_PURPOSE = b"tracker.api.pagination.cursor"


def _cursor_key(secret: str) -> bytes:
    """An AES-SIV key for cursors alone, derived from ``secret`` (HKDF-SHA256 with its own
    purpose), so a cursor key and SECRET_KEY's other uses never coincide."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_CURSOR_KEY_PURPOSE)
    return hkdf.derive(secret.encode())


@functools.lru_cache(maxsize=8)
def _cursor_ciphers(secret_keys: tuple[str, ...]) -> tuple[AESSIV, ...]:
    """SECRET_KEY's cursor cipher first (it seals), then SECRET_KEY_FALLBACKS' (they still
    open, so rotating the secret does not break the ``next`` links clients hold). Cached per
    tuple of secrets: HKDF runs once per process, and a test that overrides SECRET_KEY gets
    its own key, never a stale one."""
    return tuple(AESSIV(_cursor_key(secret)) for secret in secret_keys)


def _secret_keys() -> tuple[str, ...]:
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))


#: Associated data of every cursor: a sealed value made for another purpose does not open.
_CURSOR_AAD = [b"cursor"]


def seal_cursor(payload: bytes) -> str:
    """``payload`` encrypted and authenticated with AES-SIV (RFC 5297), as urlsafe base64
    without ``=`` padding.

    Deterministic on purpose: the same payload gives the same token, so a page's ``next``
    link and the list's ETag do not change between two identical requests. What that
    reveals (that two links point at the same position) is no secret."""
    sealed = _cursor_ciphers(_secret_keys())[0].encrypt(payload, _CURSOR_AAD)
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def open_cursor(raw: str) -> bytes:
    """The payload of a :func:`seal_cursor` token; :class:`InvalidTag` when no key opens it,
    ``ValueError``/``binascii.Error`` for text that is not one.

    No expiry: a cursor names a position in a list, not a permission (the scope filters
    apply again on every request), so an old one is as good as a new one."""
    sealed = base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
    for cipher in _cursor_ciphers(_secret_keys()):
        try:
            return cipher.decrypt(sealed, _CURSOR_AAD)
        except InvalidTag:
            continue
    raise InvalidTag


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "{message}"  # the paginator's Persian sentences
    cursor_query_param = "cursor"
    invalid_cursor_message = "نشانگر صفحه (cursor) نامعتبر است؛ از پیوند next استفاده کنید."

    def get_page_size(self, request: Any) -> int:
        """``page_size`` from 1 to ``max_page_size`` (a larger one is cut to it, as in DRF);
        anything else is a Persian 400 (DRF would quietly use the default size)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return int(self.page_size or 0)
        try:
            return pagination._positive_int(raw, strict=True, cutoff=self.max_page_size)
        except ValueError:
            raise ApiValidationError(
                {
                    self.page_size_query_param: [
                        f"اندازه صفحه باید عددی از ۱ تا {self.max_page_size} باشد."
                    ]
                }
            ) from None

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        self.request = request
        self._order = keyset_order(queryset) if isinstance(queryset, QuerySet) else None
        if self._order is not None:
            queryset = queryset.order_by(*self._order_names())
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            self._rows = super().paginate_queryset(queryset, request, view)
            page: Any = getattr(self, "page", None)
            if page is not None and not page.paginator.count_exact:
                # DRF shows the pager when num_pages > 1; past the limit there are more.
                self.display_page_controls = self.template is not None
            return self._rows
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        number, values = self._decode(raw)
        paginator = self.django_paginator_class(queryset, page_size)
        paginator.count  # noqa: B018  (the same count as a numbered page)
        rows = list(queryset.filter(_after(self._order, values))[: page_size + 1])  # type: ignore[arg-type]
        self.page = OpenEndedPage(
            rows[:page_size], number, paginator, has_more=len(rows) > page_size
        )
        self._rows = list(self.page.object_list)
        # A cursor page is page 2 or later: the browsable API shows its pager too.
        self.display_page_controls = self.template is not None
        return self._rows

    def _decode(self, raw: str) -> tuple[int, list[Any]]:
        if self._order is None:
            raise NotFound(self.invalid_cursor_message)
        try:
            data = json.loads(open_cursor(raw))
            number, names, raw_values = int(data["p"]), data["o"], data["v"]
            if not 2 <= number <= MAX_OFFSET or names != self._order_names():
                raise ValueError(raw)
            if len(raw_values) != len(names) or any(
                not isinstance(v, str | int) or (isinstance(v, str) and "\x00" in v)
                for v in raw_values
            ):
                raise ValueError(raw)  # (PostgreSQL text cannot hold NUL)
            values = [
                field.to_python(value)
                for (field, _), value in zip(self._order, raw_values, strict=True)
            ]
            for value in values:
                if value is None or (isinstance(value, int) and not -(2**63) <= value < 2**63):
                    raise ValueError(raw)
                if isinstance(value, datetime):
                    value.astimezone(UTC)  # OverflowError at the ends of the calendar
        except (
            ValueError,
            TypeError,
            KeyError,
            OverflowError,
            ValidationError,
            binascii.Error,
            InvalidTag,
        ):
            raise NotFound(self.invalid_cursor_message) from None
        return number, values

    def _order_names(self) -> list[str]:
        return [("-" if descending else "") + field.name for field, descending in self._order or []]

    def _cursor_after(self, row: Any, number: int) -> str | None:
        if self._order is None or not isinstance(row, Model):
            return None
        deferred = row.get_deferred_fields()
        if any(field.attname in deferred for field, _ in self._order):
            return None
        values = [_encode(getattr(row, field.attname)) for field, _ in self._order]
        payload = json.dumps(
            {"p": number, "o": self._order_names(), "v": values}, separators=(",", ":")
        )
        return seal_cursor(payload.encode())

    def _refused(self, number: int) -> bool:
        """Whether ``page=number`` is past :data:`MAX_PAGE_OFFSET` from both ends."""
        paginator: Any = self.page.paginator  # type: ignore[union-attr]
        bottom = (number - 1) * paginator.per_page
        if bottom < MAX_PAGE_OFFSET:
            return False
        top = min(bottom + paginator.per_page, paginator.count)
        return not paginator.count_exact or paginator.count - top >= MAX_PAGE_OFFSET

    def _next_past_limit(self) -> bool:
        """Whether the next page would be a page number that the limit refuses."""
        page: Any = self.page
        if not page.has_next() or (self._rows and self._order is not None):
            return False
        return self._refused(page.number + 1)

    def get_next_link(self) -> str | None:
        page: Any = self.page
        if not page.has_next() or self._next_past_limit():
            return None
        cursor = self._cursor_after(self._rows[-1], page.number + 1) if self._rows else None
        if cursor is None:
            url = remove_query_param(self._url(), self.cursor_query_param)
            return replace_query_param(url, self.page_query_param, page.number + 1)
        url = remove_query_param(self._url(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def _url(self) -> str:
        request: Any = self.request
        return str(request.build_absolute_uri())

    def get_previous_link(self) -> str | None:
        page: Any = self.page
        if not page.has_previous() or self._refused(page.number - 1):
            return None  # (a cursor page far down: no page number reaches back there)
        url = remove_query_param(self._url(), self.cursor_query_param)
        if page.number - 1 == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page.number - 1)

    def get_html_context(self) -> Any:
        """The browsable API's page links. They are page numbers, so they drop this page's
        cursor (it would win over ``page`` and every link would open this page again); past
        the count limit the last page is unknown, so the links stop at the next one."""
        page: Any = self.page
        paginator: Any = page.paginator
        url = remove_query_param(self._url(), self.cursor_query_param)
        current = page.number
        final = paginator.num_pages if paginator.count_exact else current + page.has_next()
        # A cursor can point past today's last page (rows deleted since, or other filters on
        # the same cursor): the pager still ends at this page, not before it.
        final = max(final, current)

        def page_url(number: int) -> str:
            if number == 1:
                return remove_query_param(url, self.page_query_param)
            return replace_query_param(url, self.page_query_param, number)

        numbers = pagination._get_displayed_page_numbers(current, final)
        return {
            "previous_url": self.get_previous_link(),
            "next_url": self.get_next_link(),
            "page_links": pagination._get_page_links(numbers, current, page_url),
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                # Both count from 1: 0 and below are refused (a 404 page, a 400 page_size).
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "The next page after a given row, as the `next` link gives it (opaque; "
                    "keyset: as fast on the last page as on the second)."
                ),
                "schema": {"type": "string"},
            }
        )
        return parameters

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
        if self._next_past_limit():
            response.data["page_limit"] = past_page_limit_message()
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
        result["properties"]["page_limit"] = {
            "type": "string",
            "description": (
                f"Present when next is null only because page numbers stop {MAX_PAGE_OFFSET} "
                "rows from both ends of the list and this order has no cursor (a search "
                "ranked by similarity): narrow the filters. In Persian."
            ),
        }
        return result
