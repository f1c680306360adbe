"""DRF's page-number pagination on the limited, deferred-join paginator, with keyset
``next`` links (see the package's docstring)."""

from __future__ import annotations

import binascii
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import limits
from .cursor import _after, _encode, keyset_order, open_cursor, seal_cursor
from .paginator import DeferredJoinPaginator, OpenEndedPage


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
            if not 2 <= number <= limits.MAX_OFFSET or names != self._order_names():
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
        if bottom < limits.MAX_PAGE_OFFSET:
            return False
        top = min(bottom + paginator.per_page, paginator.count)
        return not paginator.count_exact or paginator.count - top >= limits.MAX_PAGE_OFFSET

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
            response.data["page_limit"] = limits.past_page_limit_message()
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["required"] = ["count", "count_exact", "results"]
        result["properties"]["count"] = {
            "type": "integer",
            "example": 123,
            "description": (
                f"تعداد ردیف‌ها؛ اگر بیش از {limits.COUNT_LIMIT} باشد همین عدد است و "
                "count_exact نادرست (false) است. "
                f"The number of rows, counted up to {limits.COUNT_LIMIT}: above that it is "
                f"{limits.COUNT_LIMIT} and count_exact is false (page=last counts them all)."
            ),
        }
        result["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "Whether count is the exact number of rows.",
        }
        result["properties"]["page_limit"] = {
            "type": "string",
            "description": (
                "Present when next is null only because page numbers stop "
                f"{limits.MAX_PAGE_OFFSET} rows from both ends of the list and this order "
                "has no cursor (a search ranked by similarity): narrow the filters. In Persian."
            ),
        }
        return result
