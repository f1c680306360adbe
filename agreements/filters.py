"""Filters of the agreement list (page and API): status, party, owner, Jalali date ranges."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from organizations.filters import organization_choices
from organizations.models import Organization
from tracker.filters import UNSEEN, JalaliDateFilter, ScopedModelChoiceFilter, for_user
from tracker.search import indexed_search

from .choices import AgreementStatus
from .models import Agreement, AgreementParty
from .selectors import agreement_list_for_user


def visible_agreement_choices(user: Any) -> QuerySet[Agreement]:
    return (
        agreement_list_for_user(user=user)
        .select_related(None)
        .prefetch_related(None)
        .order_by("reference_number", "id")
    )


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
    party = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        method="filter_party",
        label="طرف",
    )
    owning_organization = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        field_name="owning_organization",
        label="سازمان مالک",
    )
    # The dashboard's links: an organisation as owner or any party, and a province.
    organization = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        method="filter_organization",
        label="سازمان (مالک یا طرف)",
    )
    province = django_filters.CharFilter(method="filter_province", label="استان")

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
        fields = ("q", "status", "party", "owning_organization", "organization", "province")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return indexed_search(queryset, value)

    def filter_party(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        if value is UNSEEN:
            return queryset.none()
        # A subquery on ids: no join, so an agreement is never listed twice.
        return queryset.filter(
            pk__in=AgreementParty.objects.filter(organization=value).values("agreement_id")
        )

    def filter_organization(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        if value is UNSEEN:
            return queryset.none()
        as_party = AgreementParty.objects.filter(organization=value).values("agreement_id")
        return queryset.filter(Q(owning_organization=value) | Q(pk__in=as_party))

    def filter_province(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # As the dashboard counts them: owned by, or with a party from, the province.
        value = value.strip()
        if not value:
            return queryset
        as_party = AgreementParty.objects.filter(organization__province=value).values(
            "agreement_id"
        )
        return queryset.filter(Q(owning_organization__province=value) | Q(pk__in=as_party))
