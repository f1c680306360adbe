"""Filters of the meeting and action-item lists (pages and API share them)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from agreements.filters import visible_agreement_choices
from agreements.models import Agreement
from organizations.filters import organization_choices
from organizations.models import Organization, Person
from organizations.selectors import person_list_for_user
from tracker.filters import (
    ALL,
    UNSEEN,
    JalaliDateFilter,
    ScopedModelChoiceFilter,
    StrictBooleanFilter,
    for_user,
)
from tracker.jalali import TEHRAN, format_date

from .choices import ActionItemStatus, MeetingKind, MeetingStatus
from .models import ActionItem, Meeting, MeetingSeries
from .selectors import (
    action_item_search,
    action_items_mine,
    action_items_of_my_organizations,
    meeting_list_for_user,
    meeting_search,
    overdue_q,
    series_list_for_user,
    visible_agreements,
)


def _people(user: Any) -> Any:
    return person_list_for_user(user=user).order_by("full_name", "id")


def _meetings(user: Any) -> Any:
    return meeting_list_for_user(user=user).select_related(None).order_by("-start", "-id")


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} ({format_date(meeting.start)})"


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.organization.name})"


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    organization = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        method="filter_organization",
        label="سازمان",
    )
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="نوع", empty_label=ALL)
    # Several values (?status=held&status=minutes_approved): the dashboard counts "held" as
    # two statuses, and its links must open the list it counted. All four fit in the box.
    # A column of the meeting itself joins nothing, so no DISTINCT (the filter's default).
    status = django_filters.MultipleChoiceFilter(
        choices=MeetingStatus.choices,
        label="وضعیت",
        distinct=False,
        widget=forms.SelectMultiple(attrs={"size": len(MeetingStatus.choices)}),
        # Django's own text names neither the field nor what it takes; API clients type it.
        error_messages={
            "invalid_choice": "«%(value)s» وضعیت درستی برای جلسه نیست؛ وضعیت‌های درست: "
            + "، ".join(MeetingStatus.values)
            + "."
        },
    )
    date_from = JalaliDateFilter(method="filter_date_from", label="از تاریخ")
    date_to = JalaliDateFilter(method="filter_date_to", label="تا تاریخ")
    agreement = ScopedModelChoiceFilter(
        queryset=for_user(visible_agreement_choices, Agreement),
        method="filter_agreement",
        label="تفاهم‌نامه",
    )
    series = ScopedModelChoiceFilter(
        queryset=for_user(lambda user: series_list_for_user(user=user), MeetingSeries),
        field_name="series",
        label="سلسله جلسات",
    )
    province = django_filters.CharFilter(method="filter_province", label="استان")
    # Read from a report and not yet confirmed: only the host sees these at all
    # (meeting_list_for_user), so the filter narrows the user's own list, never widens it.
    needs_review = StrictBooleanFilter(
        field_name="needs_review",
        label="نیازمند بازبینی",
        widget=forms.Select(choices=[("", ALL), ("true", "بله"), ("false", "خیر")]),
    )

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
        if value is UNSEEN:
            return queryset.none()
        with_participant = Meeting.objects.filter(participants=value).values("pk")
        return queryset.filter(Q(host=value) | Q(pk__in=with_participant))

    def filter_date_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        # Dates are Tehran days: the day starts at 00:00 Tehran time.
        start = datetime.combine(value, time.min, tzinfo=TEHRAN)
        return queryset.filter(start__gte=start)

    def filter_date_to(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        end = datetime.combine(value + timedelta(days=1), time.min, tzinfo=TEHRAN)
        return queryset.filter(start__lt=end)

    def filter_agreement(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        # Only through an agreement the user may see: an invisible one links nothing (the
        # choices are the visible agreements; any other id is UNSEEN).
        if value is None:
            return queryset
        if self.request is None or value is UNSEEN:
            return queryset.none()
        agreement = visible_agreements(user=self.request.user).filter(pk=value.pk).values("pk")
        linked = Meeting.objects.filter(agreements__in=agreement).values("pk")
        return queryset.filter(pk__in=linked)

    def filter_province(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # As the dashboard counts them: hosted by, or with a participant from, the province.
        value = value.strip()
        if not value:
            return queryset
        with_participant = Meeting.objects.filter(participants__province=value).values("pk")
        return queryset.filter(Q(host__province=value) | Q(pk__in=with_participant))


class ActionItemFilter(django_filters.FilterSet):
    VIEWS = (("mine", "اقدامات من"), ("organization", "اقدامات سازمان من"), ("overdue", "معوق"))

    #: Other names of filters, as the dashboard's links spell them.
    ALIASES = {"owner_person": "owner", "owner_organization": "organization"}

    q = django_filters.CharFilter(method="filter_q", label="جستجو")
    view = django_filters.ChoiceFilter(
        choices=VIEWS, method="filter_view", label="نما", empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        choices=ActionItemStatus.choices, label="وضعیت", empty_label=ALL
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label="معوق",
        widget=forms.Select(choices=[("", ALL), ("true", "بله"), ("false", "خیر")]),
    )
    owner = ScopedModelChoiceFilter(
        queryset=for_user(_people, Person),
        field_name="owner_person",
        label="مسئول (شخص)",
        label_of=_person_label,
    )
    # The owning organisation, or for an item owned by a person alone that person's
    # organisation (as stats/action-items counts it).
    organization = ScopedModelChoiceFilter(
        queryset=for_user(organization_choices, Organization),
        method="filter_owner_organization",
        label="مسئول (سازمان)",
    )
    # The annotation of the selectors: an agreement the user may not see matches nothing.
    agreement = ScopedModelChoiceFilter(
        queryset=for_user(visible_agreement_choices, Agreement),
        method="filter_agreement",
        label="تفاهم‌نامه",
    )
    meeting = ScopedModelChoiceFilter(
        queryset=for_user(_meetings, Meeting),
        field_name="meeting",
        label="جلسه",
        label_of=_meeting_label,
    )
    province = django_filters.CharFilter(method="filter_province", label="استان")
    due_after = JalaliDateFilter(field_name="due_date", lookup_expr="gte", label="مهلت از")
    due_before = JalaliDateFilter(field_name="due_date", lookup_expr="lte", label="مهلت تا")

    class Meta:
        model = ActionItem
        fields = ("q", "view", "status", "overdue", "due_after", "due_before")

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and any(alias in data for alias in self.ALIASES):
            data = data.copy()
            for alias, name in self.ALIASES.items():
                if alias in data and not data.get(name):
                    data[name] = data[alias]
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return action_item_search(queryset, value)

    def filter_agreement(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        if value is UNSEEN:
            return queryset.none()
        return queryset.filter(visible_agreement_id=value.pk)

    def filter_province(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # As the dashboard counts them: owned by, or of a meeting hosted in, the province.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(owner_organization__province=value) | Q(meeting__host__province=value)
        )

    def filter_view(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        user = self.request.user if self.request is not None else None
        if value == "mine":
            return action_items_mine(queryset, user=user)
        if value == "organization":
            return action_items_of_my_organizations(queryset, user=user)
        if value == "overdue":
            return queryset.filter(overdue_q(timezone.localdate()))
        return queryset

    def filter_owner_organization(
        self, queryset: QuerySet[Any], name: str, value: Any
    ) -> QuerySet[Any]:
        if value is UNSEEN:  # an organisation the user may not see: nothing, as elsewhere
            return queryset.none()
        return queryset.filter(
            Q(owner_organization=value)
            | Q(owner_organization__isnull=True, owner_person__organization=value)
        )

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
