"""The Jalali (Solar Hijri) calendar at the edges of the app.

Everything is stored as aware Gregorian datetimes and dates; this package converts them to
Jalali for display (Persian digits), parses what people type and plugs both into Django.

- the core, pure Python with no Django import: :mod:`.calendar` (names, conversion, month
  and fiscal-year bounds), :mod:`.formatting` («۱۳۹۹/۰۵/۱۱», «۱۱ مرداد ۱۳۹۹», the Latin API
  twin) and :mod:`.parsing` (Persian, Arabic-Indic or Latin digits, month names, weekdays);
- thin adapters: :mod:`.forms` (widgets and form fields), :mod:`.drf` (serializer fields),
  :mod:`.admin` (the ModelAdmin mixin and ``jalali_display``); the template filters are
  ``tracker/templatetags/jalali.py``.

Every name callers used from the old single module is still importable from here. The core
names are imported eagerly; the adapters only when first asked for (PEP 562
``__getattr__``), because importing this package for ``format_date`` or ``TEHRAN`` must not
load forms, the admin, DRF and drf-spectacular. New code imports an adapter from its own
module (``from tracker.jalali.forms import JalaliDateField``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .calendar import (
    GREGORIAN_YEAR_THRESHOLD,
    MONTH_NAMES,
    TEHRAN,
    WEEKDAY_NAMES,
    JalaliDateError,
    days_in_month,
    fiscal_year_bounds,
    is_leap_year,
    jalali_to_gregorian,
    month_bounds,
    quarter_of,
    to_jalali_date,
    to_tehran,
)
from .formatting import DATE_STYLES, format_date, format_datetime, format_time, jalali_string
from .parsing import MAX_DATE, MIN_DATE, parse_date, parse_datetime

if TYPE_CHECKING:
    from .admin import JalaliAdminMixin, jalali_display
    from .drf import JalaliDateSerializerField, JalaliDateTimeSerializerField, JalaliTwinField
    from .forms import (
        PICKER_CSS,
        PICKER_JS,
        JalaliDateField,
        JalaliDateTimeField,
        JalaliDateTimeWidget,
        JalaliDateWidget,
    )

__all__ = [
    "DATE_STYLES",
    "GREGORIAN_YEAR_THRESHOLD",
    "MAX_DATE",
    "MIN_DATE",
    "MONTH_NAMES",
    "PICKER_CSS",
    "PICKER_JS",
    "TEHRAN",
    "WEEKDAY_NAMES",
    "JalaliAdminMixin",
    "JalaliDateError",
    "JalaliDateField",
    "JalaliDateSerializerField",
    "JalaliDateTimeField",
    "JalaliDateTimeSerializerField",
    "JalaliDateTimeWidget",
    "JalaliDateWidget",
    "JalaliTwinField",
    "days_in_month",
    "fiscal_year_bounds",
    "format_date",
    "format_datetime",
    "format_time",
    "is_leap_year",
    "jalali_display",
    "jalali_string",
    "jalali_to_gregorian",
    "month_bounds",
    "parse_date",
    "parse_datetime",
    "quarter_of",
    "to_jalali_date",
    "to_tehran",
]

_ADMIN = frozenset({"JalaliAdminMixin", "jalali_display"})
_DRF = frozenset({"JalaliDateSerializerField", "JalaliDateTimeSerializerField", "JalaliTwinField"})
_FORMS = frozenset(
    {
        "PICKER_CSS",
        "PICKER_JS",
        "JalaliDateField",
        "JalaliDateTimeField",
        "JalaliDateTimeWidget",
        "JalaliDateWidget",
    }
)


def __getattr__(name: str) -> Any:
    """An adapter, imported from its own module the first time it is asked for."""
    module: Any
    if name in _ADMIN:
        from . import admin as module
    elif name in _DRF:
        from . import drf as module
    elif name in _FORMS:
        from . import forms as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value
