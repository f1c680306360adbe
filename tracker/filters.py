"""Filter building blocks shared by every app's lists (pages and API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
import django_filters.rest_framework
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters as drf_filters
from rest_framework.exceptions import ValidationError as ApiValidationError

from tracker.jalali.forms import JalaliDateField
from tracker.search import SEARCH_RANK, among_candidates, is_ranked
from tracker.text import to_latin_digits

#: The empty choice of every select of the filter forms.
ALL = "همه"
MAX_ID = 2**63 - 1


def _document_as_id(filter_: Any) -> None:
    """Describe a filter in the API schema as an id from 1 to :data:`MAX_ID`, by its label."""
    extend_schema_field(
        {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_ID,
            "description": str(filter_.label or ""),
        }
    )(filter_)


class _Unseen:
    """The value of a choice filter given the id of a row the user may not see (or that does
    not exist): it matches nothing, so the answer tells nothing about the row."""

    def __repr__(self) -> str:
        return "UNSEEN"


UNSEEN: Any = _Unseen()


def parse_id(value: Any) -> int:
    """A row id typed into the address (Persian or Latin digits): a whole number from 1 to
    the largest ``bigint``; anything else (a sign, a fraction, «1e400», a number PostgreSQL
    cannot compare with its ``bigint`` column) is a Persian ``ValidationError`` repeating
    what was sent, as it was sent (not digit-converted: «1e5» stays «1e5»)."""
    latin = to_latin_digits(str(value)).strip()
    if not latin.isascii() or not latin.isdigit() or not 0 < int(latin) <= MAX_ID:
        # Through params: the filter backend formats the message with them (a «%» typed
        # into the address must not break the formatting).
        raise ValidationError(
            "«%(value)s» شناسه درستی نیست.",
            code="invalid_choice",
            params={"value": str(value)},
        )
    return int(latin)


class IdField(forms.Field):
    """A form field of one row id (see :func:`parse_id`); empty means no filter."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        return parse_id(value)


class IdFilter(django_filters.Filter):
    """Rows whose ``field_name`` is the id given. Unlike ``NumberFilter`` (a decimal) an id
    past the ``bigint`` range or with a fraction is a Persian 400 naming the parameter, not
    an empty list or Django's message about «1e+50»."""

    field_class = IdField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _document_as_id(self)


class ScopedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of the rows the user may see. An id typed into the address (or sent by an
    API client) that is not among them is not an error: it matches nothing (:data:`UNSEEN`).
    Anything that is not a whole number is a Persian 400 that repeats what was sent."""

    def __init__(self, *args: Any, label_of: Callable[[Any], str] | None = None, **kwargs: Any):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)
        self._label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self._label_of(obj) if self._label_of else super().label_from_instance(obj)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return self.queryset.get(pk=parse_id(value))  # type: ignore[union-attr]
        except self.queryset.model.DoesNotExist:  # type: ignore[union-attr]
            return UNSEEN


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` over rows the user may see (its queryset is a callable of the
    request); see :class:`ScopedModelChoiceField`. A filter with ``method=`` must handle
    :data:`UNSEEN` itself (``queryset.none()``)."""

    field_class = ScopedModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)
        # The API documents an id (the choices depend on the user, so the schema cannot
        # list them), described by the label.
        _document_as_id(self)

    def filter(self, qs: Any, value: Any) -> Any:
        if value is UNSEEN:
            return qs.none()
        return super().filter(qs, value)


def for_user(build: Callable[[Any], QuerySet[Any]], model: type[Any]) -> Callable[[Any], Any]:
    """A filter queryset callable: ``build(user)``, or no rows without a request."""

    def queryset(request: Any) -> QuerySet[Any]:
        if request is None or not getattr(request, "user", None):
            return model._default_manager.none()
        return build(request.user)

    return queryset


#: How the API documents a date it reads through :func:`tracker.jalali.parse_date`: a
#: string, not ``format: date``, or generated clients and Swagger's "try it out" would
#: refuse the Jalali dates the server accepts.
JALALI_DATE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "example": "1403/01/01",
}
JALALI_DATE_HELP = (
    "A Jalali date (۱۴۰۳/۰۱/۰۱, 1403-01-01, 1 فروردین 1403; Persian or Latin digits) "
    "or an ISO date (2024-03-20)."
)


class JalaliDateFilter(django_filters.DateFilter):
    """A date filter that reads «۱۳۹۹/۰۵/۱۱» (or ISO) and explains a bad date in Persian."""

    field_class = JalaliDateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = f"{self.label}: " if self.label else ""
        extend_schema_field({**JALALI_DATE_SCHEMA, "description": label + JALALI_DATE_HELP})(self)


#: Query parameters that are not filters: the pagination's (page, size, cursor), the
#: ordering's, the format's.
NOT_FILTERS = frozenset({"page", "page_size", "cursor", "ordering", "format"})


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """django-filter's DRF backend, skipped when the request filters nothing.

    Building a FilterSet builds its form and every field, including the scoped querysets
    of the id filters (organisation, agreement, meeting…), about a millisecond for a list
    asked for without filters. A filter with no value leaves the queryset as it is (every
    FilterSet here filters only on values it was given), so with no filter parameter the
    queryset is returned untouched; any other parameter goes through the FilterSet,
    unknown ones included (it ignores them, as before).
    """

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        if NOT_FILTERS.issuperset(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(drf_filters.OrderingFilter):
    """DRF's ``ordering``, except that a field the list does not offer is a Persian 400
    naming the parameter and the choices (DRF drops it silently and answers in the default
    order, which a client cannot tell from the order it asked for)."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw:
            terms = [term.strip() for term in raw.split(",") if term.strip()]
            bad = [t for t in terms if not self.remove_invalid_fields(queryset, [t], view, request)]
            if bad:
                offered = sorted(
                    name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
                )
                raise ApiValidationError(
                    {
                        self.ordering_param: [
                            f"ترتیب «{bad[0]}» در این فهرست نیست؛ یکی از این‌ها را بفرستید"
                            f" (با - پیش از آن برای ترتیب نزولی): {'، '.join(offered)}."
                        ]
                    }
                )
        ordering = super().get_ordering(request, queryset, view)
        if not raw and ordering and is_ranked(queryset):
            # A search with several terms: best match first, then the list's own order.
            return [f"-{SEARCH_RANK}", *ordering]
        return ordering

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        if ordering[0] == f"-{SEARCH_RANK}" and is_ranked(queryset):
            # Rank the first matches in the list's own order only (tracker/search.py).
            queryset = among_candidates(queryset, ordering[1:])
        return queryset.order_by(*ordering)


class StrictBooleanField(forms.NullBooleanField):
    """Yes, no or empty (no filter); anything else is a field error. Django's
    ``NullBooleanField`` reads an unknown value as "empty", so ``?unread=maybe`` filtered
    nothing and answered every row."""

    TRUE = frozenset({"true", "1", "yes", "on", "بله"})
    FALSE = frozenset({"false", "0", "no", "off", "خیر"})
    default_error_messages = {
        "invalid": "«%(value)s» پذیرفته نیست؛ true یا false بفرستید.",
    }

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        text = to_latin_digits(str(value)).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what is neither (see :class:`StrictBooleanField`)."""

    field_class = StrictBooleanField
