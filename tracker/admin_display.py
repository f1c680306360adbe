"""Jalali dates in every read-only place of the admin, and inlines without N+1 queries.

Editable date fields get the Jalali form fields through ``JalaliAdminMixin``. Read-only
fields, change lists and history pages go through ``display_for_field``, which formats
dates the Gregorian way; wrapping it once here makes every admin page Jalali without each
app listing its date columns again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from .jalali import format_date, format_datetime

_original = utils.display_for_field


def display_for_field(
    value: Any, field: Any, empty_value_display: str, *args: Any, **kwargs: Any
) -> Any:
    if (
        value is not None
        and isinstance(field, models.DateTimeField)
        and isinstance(value, datetime)
    ):
        return format_datetime(value)
    if value is not None and isinstance(field, models.DateField) and isinstance(value, date):
        return format_date(value)
    return _original(value, field, empty_value_display, *args, **kwargs)


def install() -> None:
    """Route the admin's field display through the Jalali formatter (idempotent)."""
    for module in (utils, helpers, admin_list):
        module.display_for_field = display_for_field  # type: ignore[attr-defined]


class InlineSelectRelatedMixin:
    """An inline that joins the related objects its rows show (``inline_select_related``).

    Inlines have no ``list_select_related``: a read-only inline shows each foreign key as
    text, which without the join costs one query per row and column.
    """

    inline_select_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        return queryset.select_related(*self.inline_select_related)
