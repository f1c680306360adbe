"""Jalali in the Django admin: date inputs on every form and a ``list_display`` helper."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from django.contrib.admin.decorators import display
from django.db import models

from .formatting import format_date, format_datetime
from .forms import JalaliDateField, JalaliDateTimeField, JalaliDateTimeWidget, JalaliDateWidget


class JalaliAdminMixin:
    """Jalali inputs for every date and datetime field of a ModelAdmin or InlineModelAdmin.

    Put it before ``admin.ModelAdmin`` in the bases. A subclass that needs its own
    ``formfield_overrides`` should extend ``JalaliAdminMixin.formfield_overrides``.
    """

    formfield_overrides: ClassVar[Mapping[type[models.Field], Mapping[str, Any]]] = {
        models.DateField: {"form_class": JalaliDateField, "widget": JalaliDateWidget},
        models.DateTimeField: {
            "form_class": JalaliDateTimeField,
            "widget": JalaliDateTimeWidget,
        },
    }


def jalali_display(
    field_name: str, description: str, *, style: str = "numeric"
) -> Callable[[Any], Any]:
    """A ``list_display`` callable showing ``field_name`` (``a__b`` traverses) in Jalali.

    Sorting follows the underlying field. The callable returns a string, or None for an
    empty value so the admin shows its own empty marker (hence the loose return type, which
    django-stubs' ``list_display`` accepts).
    """

    def show(obj: Any) -> str | None:
        value: Any = obj
        for part in field_name.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        if isinstance(value, datetime):
            return format_datetime(value, style)
        return format_date(value, style)

    show.__name__ = f"{field_name}_jalali"
    return display(description=description, ordering=field_name)(show)
