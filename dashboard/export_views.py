"""Exports of agreements, meetings and action items (CSV or XLSX): a list's rows, all pages.

Each export is its API list without the pages: the same scoped selector, narrowed by the
same FilterSet through the same filter backend, so ``exports/meetings.csv?<query>`` holds
exactly the rows of ``meetings/?<query>`` followed through every page, and a bad filter is
the same Persian 400, raised before any byte is streamed. The rows are read with
``.values()`` and ``iterator()``, so neither model instances nor the whole result are ever
held in memory; they come in the list's default order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat
from django.http import Http404, HttpResponseBase
from django.utils import timezone
from django_filters import (
    BooleanFilter,
    DateFilter,
    FilterSet,
    ModelChoiceFilter,
    MultipleChoiceFilter,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from agreements.choices import AgreementStatus, PartyRole
from agreements.filters import DATE_RANGES, AgreementFilter
from agreements.models import AgreementParty
from agreements.selectors import agreement_api_list_for_user
from commitments.choices import OccurrenceStatus
from commitments.filters import OccurrenceFilter
from commitments.selectors import occurrence_list_for_user
from meetings.choices import ActionItemStatus, MeetingKind, MeetingStatus
from meetings.filters import ActionItemFilter, MeetingFilter
from meetings.models import Meeting
from meetings.selectors import action_item_api_list_for_user, meeting_api_list_for_user
from organizations.choices import OrganizationKind
from organizations.filters import OrganizationFilter, PersonFilter
from organizations.selectors import organization_list_for_user, person_list_for_user
from tracker.api.serializers import ErrorSerializer
from tracker.filters import FilterBackend

from . import exports
from .exports import Column, choice_columns, date_columns
from .exports import field as column

#: Rows fetched per round trip of the server-side cursor.
CHUNK = 2000
SUFFIXES = ("csv", "xlsx")


@dataclass(frozen=True)
class Export:
    """One exportable list: its API list's selector, FilterSet and default order, and the
    columns of the file."""

    rows: Callable[..., QuerySet[Any]]
    filterset: type[FilterSet]
    order: tuple[str, ...]
    columns: list[Column]
    sheet_title: str
    #: Parameters the export read before it used the list's FilterSet, where the list has
    #: no filter of that name: {name: what to send instead}. Refused rather than ignored,
    #: so a client still sending them does not get every row without noticing.
    retired: dict[str, str] = field(default_factory=dict)
    #: Aggregated columns (participants, parties) as ``{name: expression}`` annotations,
    #: one subquery each, so a row stays one row.
    annotate: Callable[[], dict[str, Any]] | None = None

    @property
    def values(self) -> tuple[str, ...]:
        """The row keys the columns read, in their order: what ``.values()`` selects."""
        return tuple(dict.fromkeys(column.key for column in self.columns if column.key))


def _one_of(edge: str) -> str:
    return "یکی از " + "، ".join(f"{name}_{edge}" for name, _ in DATE_RANGES)


def _joined(through: Any, owner: str, text: Any) -> Subquery:
    """One text per row: ``text`` of the row's related rows joined by «؛ » (by name)."""
    return Subquery(
        through.objects.filter(**{owner: OuterRef("pk")})
        .values(owner)
        .annotate(joined=StringAgg(text, "؛ ", order_by="organization__name"))
        .values("joined")
    )


def _meeting_columns() -> dict[str, Any]:
    return {
        "participant_names": _joined(
            Meeting.participants.through, "meeting_id", "organization__name"
        )
    }


def _agreement_columns() -> dict[str, Any]:
    role = Case(
        *[When(role=code, then=Value(label)) for code, label in PartyRole.choices],
        default=F("role"),
    )
    text = Concat(F("organization__name"), Value(" ("), role, Value(")"))
    return {"party_names": _joined(AgreementParty, "agreement_id", text)}


KINDS: dict[str, Export] = {
    "organizations": Export(
        rows=organization_list_for_user,
        filterset=OrganizationFilter,
        order=("name", "id"),
        columns=[
            column("شناسه", "id"),
            column("نام", "name"),
            *choice_columns("نوع", "kind", OrganizationKind),
            column("استان", "province"),
            column("شهرستان", "county"),
            column("شهر", "city"),
            column("شناسه سازمان بالادست", "parent_id"),
            column("سازمان بالادست", "parent__name"),
            column("فعال", "is_active"),
        ],
        sheet_title="سازمان‌ها",
    ),
    "people": Export(
        rows=person_list_for_user,
        filterset=PersonFilter,
        order=("full_name", "id"),
        columns=[
            column("شناسه", "id"),
            column("نام و نام خانوادگی", "full_name"),
            column("سمت", "position_title"),
            column("شناسه سازمان", "organization_id"),
            column("سازمان", "organization__name"),
            column("تلفن", "phone"),
            column("رایانامه", "email"),
        ],
        sheet_title="اشخاص",
    ),
    "agreements": Export(
        rows=agreement_api_list_for_user,
        filterset=AgreementFilter,
        order=("-updated_at", "-id"),
        columns=[
            column("شناسه", "id"),
            column("شماره", "reference_number"),
            column("عنوان", "title"),
            *choice_columns("وضعیت", "status", AgreementStatus),
            column("سازمان مالک", "owning_organization__name"),
            *date_columns("تاریخ امضا", "signed_date"),
            *date_columns("تاریخ اجرا", "effective_date"),
            *date_columns("تاریخ انقضا", "expiry_date"),
            *date_columns("آخرین تغییر", "updated_at"),
            # Appended (the columns before keep their places for existing spreadsheets).
            column("شناسه سازمان مالک", "owning_organization_id"),
            column("طرفین", "party_names"),
            *date_columns("مهلت بررسی", "review_deadline"),
            *date_columns("تاریخ هدف امضا", "target_signing_date"),
        ],
        sheet_title="تفاهم‌نامه‌ها",
        retired={"date_from": _one_of("from"), "date_to": _one_of("to")},
        annotate=_agreement_columns,
    ),
    "meetings": Export(
        rows=meeting_api_list_for_user,
        filterset=MeetingFilter,
        order=("-start", "-id"),
        columns=[
            column("شناسه", "id"),
            column("عنوان", "title"),
            *choice_columns("نوع", "kind", MeetingKind),
            *choice_columns("وضعیت", "status", MeetingStatus),
            column("میزبان", "host__name"),
            column("محل", "location"),
            *date_columns("شروع", "start"),
            # Appended (the columns before keep their places for existing spreadsheets).
            column("شناسه میزبان", "host_id"),
            column("سازمان‌های شرکت‌کننده", "participant_names"),
            *date_columns("پایان", "end"),
            column("منبع: نشریه", "source_publication"),
            column("منبع: شماره", "source_issue"),
            column("منبع: صفحه", "source_page"),
            *date_columns("منبع: تاریخ", "source_date"),
            column("منبع: پیوند", "source_url"),
            column("صورتجلسه", "minutes"),
        ],
        sheet_title="جلسات",
        annotate=_meeting_columns,
    ),
    "action-items": Export(
        rows=action_item_api_list_for_user,
        filterset=ActionItemFilter,
        order=("due_date", "id"),
        columns=[
            column("شناسه", "id"),
            column("شرح", "description"),
            *choice_columns("وضعیت", "status", ActionItemStatus),
            column("سازمان مسئول", "owner_organization__name"),
            column("شخص مسئول", "owner_person__full_name"),
            column("شناسه جلسه", "meeting_id"),
            column("جلسه", "meeting__title"),
            *date_columns("مهلت", "due_date"),
            *date_columns("زمان انجام", "completed_at"),
        ],
        sheet_title="اقدامات",
        retired={"date_from": "due_after", "date_to": "due_before"},
    ),
    "commitments": Export(
        rows=occurrence_list_for_user,
        filterset=OccurrenceFilter,
        order=("due_date", "id"),
        columns=[
            column("شناسه نوبت", "id"),
            column("شناسه تعهد", "commitment_id"),
            column("تعهد", "commitment__title"),
            column("بند", "commitment__clause"),
            column("تفاهم‌نامه", "commitment__agreement__reference_number"),
            column("طرف متعهد", "commitment__party__organization__name"),
            column("مسئول", "commitment__responsible__full_name"),
            column("نوبت", "number"),
            *date_columns("مهلت", "due_date"),
            *choice_columns("وضعیت", "status", OccurrenceStatus),
            *date_columns("زمان تغییر وضعیت", "status_changed_at"),
            column("شرح انجام و مستندات", "evidence_note"),
            column("دلیل بخشودگی", "waiver_reason"),
        ],
        sheet_title="تعهدات",
    ),
}

#: The lists the exports mirror (for the schema's descriptions).
_LISTS = {
    "organizations": "organizations/",
    "people": "people/",
    "agreements": "agreements/",
    "meetings": "meetings/",
    "action-items": "action-items/",
    "commitments": "commitment-occurrences/",
}


def _query_parameters() -> list[OpenApiParameter]:
    """The union of the three FilterSets' filters, each described with the lists that have
    it (the path's ``kind`` decides which FilterSet reads the query)."""
    by_name: dict[str, list[Any]] = {}
    for kind, spec in KINDS.items():
        for name, filter_ in spec.filterset.base_filters.items():
            by_name.setdefault(name, []).append((kind, filter_))
    parameters = []
    for name, uses in sorted(by_name.items()):
        filter_ = uses[0][1]
        labels = "; ".join(f"`{_LISTS[kind]}`: {f.label}" for kind, f in uses)
        description = f"The `{name}` filter of the list exported ({labels})."
        if any(isinstance(f, MultipleChoiceFilter) for _, f in uses):
            type_: Any = {"type": "array", "items": {"type": "string"}}
        elif isinstance(filter_, ModelChoiceFilter):
            type_ = OpenApiTypes.INT
        elif isinstance(filter_, BooleanFilter):
            type_ = OpenApiTypes.BOOL
        elif isinstance(filter_, DateFilter):
            # A string, not ``format: date``: the lists read Jalali dates too.
            type_ = {"type": "string", "example": "1403/01/01"}
            description += " A Jalali (1403/01/01) or ISO (2024-03-20) date."
        else:
            type_ = OpenApiTypes.STR
        many = isinstance(type_, dict) and type_["type"] == "array"
        parameters.append(
            OpenApiParameter(
                name,
                type_,
                OpenApiParameter.QUERY,
                description=description,
                explode=True if many else None,
                style="form" if many else None,
            )
        )
    return parameters


def _refuse_retired(spec: Export, request: Request) -> None:
    errors = {
        name: [f"«{name}» فیلتر این فهرست نیست؛ به جای آن {instead} را بفرستید."]
        for name, instead in spec.retired.items()
        if name in request.query_params
    }
    if errors:
        raise serializers.ValidationError(errors)


class ExportView(APIView):
    """A streamed export of one list (every page of it, with the list's filters); CSV
    (UTF-8 with BOM) or XLSX by the path's suffix."""

    #: The FilterSet of the list being exported, set per request (the filter backend reads
    #: it from the view, as it does on the lists).
    filterset_class: type[FilterSet] | None = None

    @extend_schema(
        tags=["exports"],
        parameters=[
            *_query_parameters(),
            OpenApiParameter(
                "kind", str, "path", enum=sorted(KINDS), description="What to export."
            ),
            OpenApiParameter("suffix", str, "path", enum=list(SUFFIXES), description="File type."),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV, UTF-8 BOM"),
            (200, exports.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request: Request, kind: str, suffix: str) -> HttpResponseBase:
        spec = KINDS.get(kind)
        if spec is None or suffix not in SUFFIXES:
            raise Http404
        _refuse_retired(spec, request)
        self.filterset_class = spec.filterset
        # Validates every filter (a 400 is raised here, before any response exists) and,
        # as on the list, builds no FilterSet at all when the query filters nothing.
        queryset = FilterBackend().filter_queryset(request, spec.rows(user=request.user), self)
        if spec.annotate is not None:
            queryset = queryset.annotate(**spec.annotate())
        rows = (
            queryset.prefetch_related(None)
            .order_by(*spec.order)
            .values(*spec.values)
            .iterator(chunk_size=CHUNK)
        )
        name = f"{kind}-{timezone.localdate().isoformat()}.{suffix}"
        if suffix == "csv":
            return exports.csv_response(rows, spec.columns, name)
        return exports.xlsx_response(rows, spec.columns, name, spec.sheet_title)
