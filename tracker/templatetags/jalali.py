"""Jalali and Persian-digit template filters, loaded as a builtin (no ``{% load %}``).

``{{ value|jdate }}`` «۱۳۹۹/۰۵/۱۱», ``{{ value|jdate:"long" }}`` «۱۱ مرداد ۱۳۹۹»,
``{{ value|jdate:"weekday" }}`` «شنبه ۱۱ مرداد ۱۳۹۹», ``{{ value|jdatetime }}``
«۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰», ``{{ value|jtime }}`` «۱۰:۳۰», ``{{ value|fa_digits }}``.

Like Django's own ``date`` filter, these render "" for a value they cannot format (None,
a string, a naive datetime) rather than break the whole page.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import template

from tracker import jalali
from tracker.text import to_persian_digits

register = template.Library()


@register.filter(name="jdate", is_safe=True)
def jdate(value: Any, style: str = "numeric") -> str:
    """A date or datetime (Tehran) as a Jalali date; style "numeric", "long" or "weekday"."""
    if not isinstance(value, date):
        return ""
    try:
        return jalali.format_date(value, style)
    except ValueError:
        return ""


@register.filter(name="jdatetime", is_safe=True)
def jdatetime_filter(value: Any, style: str = "numeric") -> str:
    """A datetime as «۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰» in Tehran time; a date as :func:`jdate`."""
    if not isinstance(value, date):
        return ""
    try:
        return jalali.format_datetime(value, style)
    except ValueError:
        return ""


@register.filter(name="jtime", is_safe=True)
def jtime(value: Any) -> str:
    """Hours and minutes in Persian digits, in Tehran time: «۱۰:۳۰»."""
    if not isinstance(value, datetime | time):
        return ""
    try:
        return jalali.format_time(value)
    except ValueError:
        return ""


@register.filter(name="fa_digits", is_safe=True)
def fa_digits(value: Any) -> str:
    """Any number or text with its digits in Persian; ``None`` gives ""."""
    if value is None:
        return ""
    return to_persian_digits(str(value))


@register.filter(name="fa_message", is_safe=False)
def fa_message(value: Any) -> str:
    """An error or flash message with *our* numbers in Persian digits; what it quotes in «…»
    (the user's own input) stays exactly as typed («1e5» is not shown as «۱e۵»)."""
    if value is None:
        return ""
    from tracker.api.exceptions import persian_digits

    return persian_digits(str(value))
