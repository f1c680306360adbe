"""Serializers of the attachments API: multipart input, metadata output."""

from __future__ import annotations

from rest_framework import serializers

from tracker.api.serializers import StrictInputSerializer
from tracker.jalali.drf import JalaliTwinField

from ..models import Attachment


class AttachmentUploadInputSerializer(StrictInputSerializer):
    # The file's checks (type by content, name, size) are the service's, one place for the
    # page and the API; here it only has to be a file.
    file = serializers.FileField(
        allow_empty_file=True,
        error_messages={
            "required": "فایل را در فیلد file بفرستید.",
            "invalid": "فیلد file باید یک فایل باشد (multipart/form-data).",
            "no_name": "نام فایل فرستاده نشده است.",
        },
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AttachmentOutputSerializer(serializers.ModelSerializer[Attachment]):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    uploaded_at_jalali = JalaliTwinField(source="uploaded_at")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = (
            "id",
            "title",
            "original_name",
            "mime_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "uploaded_at_jalali",
            "download_url",
        )
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:
        slug = self.context["slug"]
        return f"/api/v1/{slug}/{obj.object_id}/attachments/{obj.pk}/download/"
