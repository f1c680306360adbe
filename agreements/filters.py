"""Filters of the agreement list (page and API): status, party, owner, Jalali date ranges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from organizations.models import Organization
from organizations.selectors import organization_list_for_user
from tracker.jalali import JalaliDateField
from tracker.text import search_filter, to_latin_digits, to_persian_digits

from .choices import AgreementStatus
from .models import Agreement, AgreementParty
from .selectors import SEARCH_FIELDS, agreement_list_for_user

#: The empty choice of every select of the filter forms.
ALL = "همه"
MAX_ID = 2**63 - 1


class _Unseen:
    """The value of a choice filter given the id of a row the user may not see (or that does
    not exist): it matches nothing, so the answer tells nothing about the row."""

    def __repr__(self) -> str:
        return "UNSEEN"


UNSEEN: Any = _Unseen()


class ScopedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of the rows the user may see. An id typed into the address (or sent by an
    API client) that is not among them is not an error: it matches nothing (:data:`UNSEEN`).
    Anything that is not a whole number is a Persian 400 that repeats what was sent."""

    def __init__(self, *args: Any, label_of: Callable[[Any], str] | None = None, **kwargs: Any):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)
        self._label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self._label_of(obj) if self._label_of else super().label_from_instance(obj)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        latin = to_latin_digits(str(value)).strip()
        if not latin.isascii() or not latin.isdigit() or not 0 < int(latin) <= MAX_ID:
            # Through params: the filter backend formats the message with them (a «%» typed
            # into the address must not break the formatting).
            raise ValidationError(
                "«%(value)s» شناسه درستی نیست.",
                code="invalid_choice",
                params={"value": to_persian_digits(str(value))},
            )
        try:
            return self.queryset.get(pk=int(latin))  # type: ignore[union-attr]
        except self.queryset.model.DoesNotExist:  # type: ignore[union-attr]
            return UNSEEN


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` over rows the user may see (its queryset is a callable of the
    request); see :class:`ScopedModelChoiceField`. A filter with ``method=`` must handle
    :data:`UNSEEN` itself (``queryset.none()``)."""

    field_class = ScopedModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)
        # The API documents an id (the choices depend on the user, so the schema cannot
        # list them), described by the label.
        extend_schema_field({"type": "integer", "description": str(self.label or "")})(self)

    def filter(self, qs: Any, value: Any) -> Any:
        if value is UNSEEN:
            return qs.none()
        return super().filter(qs, value)


def for_user(build: Callable[[Any], QuerySet[Any]], model: type[Any]) -> Callable[[Any], Any]:
    """A filter queryset callable: ``build(user)``, or no rows without a request."""

    def queryset(request: Any) -> QuerySet[Any]:
        if request is None or not getattr(request, "user", None):
            return model._default_manager.none()
        return build(request.user)

    return queryset


def visible_agreement_choices(user: Any) -> QuerySet[Agreement]:
    return (
        agreement_list_for_user(user=user)
        .select_related(None)
        .prefetch_related(None)
        .order_by("reference_number", "id")
    )


def organization_choices(user: Any) -> QuerySet[Organization]:
    return organization_list_for_user(user=user).select_related(None).order_by("name", "id")


class FilterDateField(JalaliDateField):
    """``JalaliDateField`` whose error travels as a parameter: the API's filter backend
    formats every message with ``%`` (``message % params``), and a message repeating a typed
    «%» would otherwise be a 500."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(
                "%(message)s", code="invalid", params={"message": " ".join(exc.messages)}
            ) from exc


class JalaliDateFilter(django_filters.DateFilter):
    """A date filter that reads «۱۳۹۹/۰۵/۱۱» (or ISO) and explains a bad date in Persian."""

    field_class = FilterDateField


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
        return search_filter(queryset, value, list(SEARCH_FIELDS))

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
