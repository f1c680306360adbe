"""Filters of the organisation and people lists (pages and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from tracker.filters import IdFilter
from tracker.search import indexed_search

from .choices import OrganizationKind
from .models import Organization, Person
from .selectors import organization_list_for_user


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label="نوع")
    province = django_filters.CharFilter(lookup_expr="exact", label="استان")
    county = django_filters.CharFilter(lookup_expr="exact", label="شهرستان")
    parent = IdFilter(field_name="parent_id", label="سازمان بالادست")

    class Meta:
        model = Organization
        fields = ("q", "kind", "province", "county", "parent")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return indexed_search(queryset, value)  # name, city, county


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    organization = IdFilter(field_name="organization_id", label="سازمان")

    class Meta:
        model = Person
        fields = ("q", "organization")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return indexed_search(queryset, value)  # name, title, organisation name


def organization_choices(user: Any) -> QuerySet[Organization]:
    return organization_list_for_user(user=user).select_related(None).order_by("name", "id")
