"""Filters of the inbox list (API)."""

from __future__ import annotations

import django_filters
from django import forms

from tracker.filters import ALL, StrictBooleanFilter

from .choices import RuleCode
from .models import Delivery


class InboxFilter(django_filters.FilterSet):
    # read_at IS NULL: the same condition as the partial index the unread badge counts on.
    unread = StrictBooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label="خوانده‌نشده (true) یا خوانده‌شده (false)",
        widget=forms.Select(choices=[("", ALL), ("true", "بله"), ("false", "خیر")]),
    )
    rule = django_filters.ChoiceFilter(
        field_name="reminder__rule",
        choices=RuleCode.choices,
        label="قاعده یادآوری",
        empty_label=ALL,
        # Django's own text names neither the field nor what it takes; API clients type it.
        error_messages={
            "invalid_choice": "«%(value)s» قاعده درستی برای یادآوری نیست؛ قاعده‌های درست: "
            + "، ".join(RuleCode.values)
            + "."
        },
    )

    class Meta:
        model = Delivery
        fields = ("unread", "rule")
