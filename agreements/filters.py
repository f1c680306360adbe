"""Filters of the agreement list (page and API): status, party, owner, Jalali date ranges."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from tracker.jalali import JalaliDateField
from tracker.text import search_filter

from .choices import AgreementStatus
from .models import Agreement, AgreementParty
from .selectors import SEARCH_FIELDS


class JalaliDateFilter(django_filters.DateFilter):
    """A date filter that reads «۱۳۹۹/۰۵/۱۱» (or ISO) and explains a bad date in Persian."""

    field_class = JalaliDateField


#: The key dates that get a from/to range: (field, Persian label).
DATE_RANGES = (
    ("review_deadline", "مهلت بررسی"),
    ("target_signing_date", "تاریخ هدف امضا"),
    ("signed_date", "تاریخ امضا"),
    ("effective_date", "تاریخ اجرا"),
    ("expiry_date", "تاریخ انقضا"),
)


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    status = django_filters.MultipleChoiceFilter(choices=AgreementStatus.choices, label="وضعیت")
    party = django_filters.NumberFilter(method="filter_party", label="طرف (شناسه سازمان)")
    owning_organization = django_filters.NumberFilter(
        field_name="owning_organization_id", label="سازمان مالک (شناسه)"
    )

    # One from/to pair per key date, declared from DATE_RANGES below.
    locals().update(
        {
            f"{name}_{edge}": JalaliDateFilter(
                field_name=name,
                lookup_expr="gte" if edge == "from" else "lte",
                label=f"{label} {'از' if edge == 'from' else 'تا'}",
            )
            for name, label in DATE_RANGES
            for edge in ("from", "to")
        }
    )

    class Meta:
        model = Agreement
        fields = ("q", "status", "party", "owning_organization")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_filter(queryset, value, list(SEARCH_FIELDS))

    def filter_party(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        # A subquery on ids: no join, so an agreement is never listed twice.
        return queryset.filter(
            pk__in=AgreementParty.objects.filter(organization_id=value).values("agreement_id")
        )
