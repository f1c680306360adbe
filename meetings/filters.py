"""Filters of the meeting and action-item lists (pages and API share them)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from organizations.models import Organization
from tracker.jalali import TEHRAN, JalaliDateField

from .choices import ActionItemStatus, MeetingKind, MeetingStatus
from .models import ActionItem, Meeting
from .selectors import (
    action_items_mine,
    action_items_of_my_organizations,
    meeting_search,
    overdue_q,
    visible_agreements,
)


class JalaliDateFilter(django_filters.DateFilter):
    field_class = JalaliDateField


class IdField(forms.IntegerField):
    """A row id: a whole number in the database's range (a huge number is a 400, not a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(is_active=True),
        method="filter_organization",
        label="سازمان",
    )
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="نوع")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label="وضعیت")
    date_from = JalaliDateFilter(method="filter_date_from", label="از تاریخ")
    date_to = JalaliDateFilter(method="filter_date_to", label="تا تاریخ")
    agreement = IdFilter(method="filter_agreement", label="تفاهم‌نامه")
    series = IdFilter(field_name="series_id", label="سلسله جلسات")

    class Meta:
        model = Meeting
        fields = ("q", "organization", "kind", "status", "date_from", "date_to")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return meeting_search(queryset, value)

    def filter_organization(
        self, queryset: QuerySet[Any], name: str, value: Organization | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        with_participant = Meeting.objects.filter(participants=value).values("pk")
        return queryset.filter(Q(host=value) | Q(pk__in=with_participant))

    def filter_date_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        # Dates are Tehran days: the day starts at 00:00 Tehran time.
        start = datetime.combine(value, time.min, tzinfo=TEHRAN)
        return queryset.filter(start__gte=start)

    def filter_date_to(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        end = datetime.combine(value + timedelta(days=1), time.min, tzinfo=TEHRAN)
        return queryset.filter(start__lt=end)

    def filter_agreement(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        # Only through an agreement the user may see: an invisible one links nothing.
        if self.request is None:
            return queryset.none()
        agreement = visible_agreements(user=self.request.user).filter(pk=value).values("pk")
        linked = Meeting.objects.filter(agreements__in=agreement).values("pk")
        return queryset.filter(pk__in=linked)


class ActionItemFilter(django_filters.FilterSet):
    VIEWS = (("mine", "اقدامات من"), ("organization", "اقدامات سازمان من"), ("overdue", "معوق"))

    view = django_filters.ChoiceFilter(choices=VIEWS, method="filter_view", label="نما")
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices, label="وضعیت")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="معوق")
    owner = IdFilter(field_name="owner_person_id", label="مسئول (شخص)")
    organization = IdFilter(field_name="owner_organization_id", label="مسئول (سازمان)")
    # The annotation of the selectors: an agreement the user may not see matches nothing.
    agreement = IdFilter(field_name="visible_agreement_id", label="تفاهم‌نامه")
    meeting = IdFilter(field_name="meeting_id", label="جلسه")
    due_after = JalaliDateFilter(field_name="due_date", lookup_expr="gte", label="مهلت از")
    due_before = JalaliDateFilter(field_name="due_date", lookup_expr="lte", label="مهلت تا")

    class Meta:
        model = ActionItem
        fields = ("view", "status", "overdue", "due_after", "due_before")

    def filter_view(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        user = self.request.user if self.request is not None else None
        if value == "mine":
            return action_items_mine(queryset, user=user)
        if value == "organization":
            return action_items_of_my_organizations(queryset, user=user)
        if value == "overdue":
            return queryset.filter(overdue_q(timezone.localdate()))
        return queryset

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
