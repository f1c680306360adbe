"""Jalali dates in every read-only place of the admin.

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
