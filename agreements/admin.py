"""Admin of agreements: read-only views with the field history (django-simple-history).

Every write goes through agreements.services (workflow guards, optimistic locking, history
rows), so the admin only shows: the status is never editable here, nor anything else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin_display import InlineSelectRelatedMixin
from tracker.jalali.admin import JalaliAdminMixin, jalali_display

from .models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartyInline(InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline):
    model = AgreementParty
    extra = 0
    inline_select_related = ("organization",)
    fields = ("organization", "role")


class VersionInline(InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline):
    model = AgreementVersion
    fk_name = "agreement"
    extra = 0
    inline_select_related = ("author", "agreement")  # the row's label names the agreement
    fields = ("number", "is_current", "change_note", "author", "created_at")


class StatusChangeInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = AgreementStatusChange
    extra = 0
    inline_select_related = ("actor",)
    fields = ("from_status", "to_status", "actor", "at", "reason")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyMixin, JalaliAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "reference_number",
        "title",
        "status",
        "owning_organization",
        jalali_display("expiry_date", "تاریخ انقضا"),
        jalali_display("updated_at", "زمان ویرایش"),
    )
    list_filter = ("status", "owning_organization")
    search_fields = ("reference_number", "title", "subject")
    list_select_related = ("owning_organization",)
    inlines = (PartyInline, VersionInline, StatusChangeInline)
    history_list_display = ("title", "expiry_date")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) or super().has_view_permission(request, obj)


@admin.register(AgreementApproval)
class AgreementApprovalAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("party", "version", "approved_by", jalali_display("approved_at", "زمان تأیید"))
    list_select_related = ("party__organization", "version__agreement", "approved_by")
