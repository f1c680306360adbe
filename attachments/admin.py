"""Admin of attachments: read-only (uploads and deletions go through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tracker.jalali.admin import JalaliAdminMixin

from .models import Attachment, AttachmentDeletion


class _ReadOnly(JalaliAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(_ReadOnly):
    list_display = ("original_name", "title", "content_type", "object_id", "size", "uploaded_at")
    list_select_related = ("content_type",)
    exclude = ("file",)  # the admin would link the file by a public media address


@admin.register(AttachmentDeletion)
class AttachmentDeletionAdmin(_ReadOnly):
    list_display = ("original_name", "content_type", "object_id", "deleted_by", "deleted_at")
    list_select_related = ("content_type", "deleted_by")
