"""Exports of agreements, meetings and action items (CSV or XLSX), honouring the filters.

Rows come from the owning app's scoped selector narrowed by the stats filters (organisation,
province, date range) and an optional status, read with ``.values()`` and ``iterator()``
so that neither model instances nor the whole result are ever held in memory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from agreements.choices import AgreementStatus
from meetings.choices import ActionItemStatus, MeetingKind, MeetingStatus
from tracker.api.serializers import ErrorSerializer

from . import exports, stats
from .api.serializers import StatsQuerySerializer
from .exports import Column, choice_columns, date_columns, field

CHUNK = 2000


class ExportQuerySerializer(StatsQuerySerializer):
    status = serializers.CharField(required=False, max_length=32, help_text="Only this status.")


def _agreements(user: Any, f: stats.StatsFilters, status: str) -> QuerySet[Any]:
    qs = stats.agreements_for(user, f)
    if f.date_from:
        qs = qs.filter(created_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(created_at__date__lte=f.date_to)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("id").values(
        "id",
        "reference_number",
        "title",
        "status",
        "owning_organization__name",
        "signed_date",
        "effective_date",
        "expiry_date",
        "updated_at",
    )


def _meetings(user: Any, f: stats.StatsFilters, status: str) -> QuerySet[Any]:
    qs = stats.meetings_for(user, f)
    if f.date_from:
        qs = qs.filter(start__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(start__date__lte=f.date_to)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("id").values(
        "id", "title", "kind", "status", "host__name", "location", "start"
    )


def _action_items(user: Any, f: stats.StatsFilters, status: str) -> QuerySet[Any]:
    qs = stats.action_items_for(user, f)
    if f.date_from:
        qs = qs.filter(due_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(due_date__lte=f.date_to)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("id").values(
        "id",
        "description",
        "status",
        "owner_organization__name",
        "owner_person__full_name",
        "meeting_id",
        "meeting__title",
        "due_date",
        "completed_at",
    )


KINDS: dict[str, tuple[Any, list[Column], str]] = {
    "agreements": (
        _agreements,
        [
            field("شناسه", "id"),
            field("شماره", "reference_number"),
            field("عنوان", "title"),
            *choice_columns("وضعیت", "status", AgreementStatus),
            field("سازمان مالک", "owning_organization__name"),
            *date_columns("تاریخ امضا", "signed_date"),
            *date_columns("تاریخ اجرا", "effective_date"),
            *date_columns("تاریخ انقضا", "expiry_date"),
            *date_columns("آخرین تغییر", "updated_at"),
        ],
        "تفاهم‌نامه‌ها",
    ),
    "meetings": (
        _meetings,
        [
            field("شناسه", "id"),
            field("عنوان", "title"),
            *choice_columns("نوع", "kind", MeetingKind),
            *choice_columns("وضعیت", "status", MeetingStatus),
            field("میزبان", "host__name"),
            field("محل", "location"),
            *date_columns("شروع", "start"),
        ],
        "جلسات",
    ),
    "action-items": (
        _action_items,
        [
            field("شناسه", "id"),
            field("شرح", "description"),
            *choice_columns("وضعیت", "status", ActionItemStatus),
            field("سازمان مسئول", "owner_organization__name"),
            field("شخص مسئول", "owner_person__full_name"),
            field("شناسه جلسه", "meeting_id"),
            field("جلسه", "meeting__title"),
            *date_columns("مهلت", "due_date"),
            *date_columns("زمان انجام", "completed_at"),
        ],
        "اقدامات",
    ),
}


class ExportView(APIView):
    """A streamed export of one list; CSV (UTF-8 with BOM) or XLSX by the path's suffix."""

    @extend_schema(
        tags=["exports"],
        parameters=[
            ExportQuerySerializer,
            OpenApiParameter(
                "kind", str, "path", enum=sorted(KINDS), description="What to export."
            ),
            OpenApiParameter("suffix", str, "path", enum=["csv", "xlsx"], description="File type."),
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
        from django.http import Http404

        if kind not in KINDS or suffix not in ("csv", "xlsx"):
            raise Http404
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        status = params.pop("status", "")
        filters = stats.StatsFilters(**params)
        rows_for, columns, title = KINDS[kind]
        rows = rows_for(request.user, filters, status).iterator(chunk_size=CHUNK)
        name = f"{kind}-{timezone.localdate().isoformat()}.{suffix}"
        if suffix == "csv":
            return exports.csv_response(rows, columns, name)
        return exports.xlsx_response(rows, columns, name, title)
