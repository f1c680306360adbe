"""Admin of commitments: read-only lists and pages, for support and audit.

Every write of a commitment goes through ``commitments.services`` (the schedule of its
occurrences, the reminders, the «a commitment became yours» notice, one status change row
per move), so the admin changes nothing: no status, no due date, no add or delete. A move
is made on the commitment's page or through the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tracker.admin_display import InlineSelectRelatedMixin
from tracker.jalali.admin import JalaliAdminMixin, jalali_display

from .models import Commitment, CommitmentOccurrence, OccurrenceStatusChange


class ReadOnlyMixin:
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The change page shows the same relations as the list: joined in there too.
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        related = getattr(self, "list_select_related", ())
        if isinstance(related, tuple | list):
            queryset = queryset.select_related(*related)
        return queryset

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OccurrenceInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = CommitmentOccurrence
    extra = 0
    inline_select_related = ("commitment", "status_changed_by")
    fields = ("number", "due_date", "status", "status_changed_at", "status_changed_by")
    readonly_fields = fields


class StatusChangeInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = OccurrenceStatusChange
    extra = 0
    inline_select_related = ("actor",)
    fields = ("from_status", "to_status", "actor", "at", "note")
    readonly_fields = fields


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "agreement",
        "party_name",
        "clause",
        "recurrence",
        jalali_display("due_date", "مهلت"),
        "responsible",
    )
    list_filter = ("recurrence", "agreement__status")
    search_fields = (
        "title",
        "clause",
        "agreement__reference_number",
        "agreement__title",
        "party__organization__name",
        "responsible__full_name",
    )
    list_select_related = ("agreement", "party__organization", "responsible")
    inlines = (OccurrenceInline,)

    @admin.display(description="طرف متعهد", ordering="party__organization__name")
    def party_name(self, obj: Commitment) -> str:
        return obj.party.organization.name


@admin.register(CommitmentOccurrence)
class CommitmentOccurrenceAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "commitment_title",
        "agreement_reference",
        "party_name",
        "number",
        jalali_display("due_date", "مهلت"),
        "status",
        jalali_display("status_changed_at", "زمان تغییر وضعیت"),
        "status_changed_by",
    )
    list_filter = ("status", "commitment__recurrence")
    search_fields = (
        "commitment__title",
        "commitment__clause",
        "commitment__agreement__reference_number",
        "commitment__party__organization__name",
    )
    list_select_related = (
        "commitment__agreement",
        "commitment__party__organization",
        "status_changed_by",
    )
    inlines = (StatusChangeInline,)

    @admin.display(description="تعهد", ordering="commitment__title")
    def commitment_title(self, obj: CommitmentOccurrence) -> str:
        return obj.commitment.title

    @admin.display(
        description="شماره تفاهم‌نامه", ordering="commitment__agreement__reference_number"
    )
    def agreement_reference(self, obj: CommitmentOccurrence) -> str:
        return obj.commitment.agreement.reference_number

    @admin.display(description="طرف متعهد", ordering="commitment__party__organization__name")
    def party_name(self, obj: CommitmentOccurrence) -> str:
        return obj.commitment.party.organization.name
