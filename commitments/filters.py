"""Filters of the commitment lists (the page, the API and the export share them)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from agreements.filters import visible_agreement_choices
from agreements.models import Agreement
from organizations.filters import organization_choices
from organizations.models import Organization
from tracker.filters import (
    ALL,
    IdFilter,
    JalaliDateFilter,
    ScopedModelChoiceFilter,
    StrictBooleanFilter,
    for_user,
)
from tracker.text import search_filter

from .choices import OccurrenceStatus, Recurrence
from .models import Commitment, CommitmentOccurrence
from .selectors import overdue_q


class OccurrenceFilter(django_filters.FilterSet):
    """The cross-agreement list: one row per due date of a commitment."""

    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    agreement = ScopedModelChoiceFilter(
        queryset=for_user(visible_agreement_choices, Agreement),
        field_name="commitment__agreement",
        label="تفاهم‌نامه",
    )
    organization = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        field_name="commitment__party__organization",
        label="طرف متعهد (سازمان)",
    )
    party = IdFilter(field_name="commitment__party", label="طرف تفاهم‌نامه (شناسه)")
    commitment = IdFilter(field_name="commitment", label="تعهد (شناسه)")
    status = django_filters.ChoiceFilter(
        choices=OccurrenceStatus.choices, label="وضعیت", empty_label=ALL
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label="معوق",
        widget=forms.Select(choices=[("", ALL), ("true", "بله"), ("false", "خیر")]),
    )
    due_after = JalaliDateFilter(field_name="due_date", lookup_expr="gte", label="مهلت از")
    due_before = JalaliDateFilter(field_name="due_date", lookup_expr="lte", label="مهلت تا")

    class Meta:
        model = CommitmentOccurrence
        fields = ("q", "agreement", "organization", "status", "overdue", "due_after", "due_before")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_filter(
            queryset, value, ("commitment__title", "commitment__clause", "commitment__description")
        )

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        q = overdue_q()
        return queryset.filter(q) if value else queryset.exclude(q)


class CommitmentFilter(django_filters.FilterSet):
    """The API's list of commitments (their occurrences have the fuller filters)."""

    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    agreement = ScopedModelChoiceFilter(
        queryset=for_user(visible_agreement_choices, Agreement),
        field_name="agreement",
        label="تفاهم‌نامه",
    )
    organization = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        field_name="party__organization",
        label="طرف متعهد (سازمان)",
    )
    party = IdFilter(field_name="party", label="طرف تفاهم‌نامه (شناسه)")
    recurrence = django_filters.ChoiceFilter(
        choices=Recurrence.choices, label="تکرار", empty_label=ALL
    )

    class Meta:
        model = Commitment
        fields = ("q", "agreement", "organization", "party", "recurrence")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_filter(queryset, value, ("title", "clause", "description"))
