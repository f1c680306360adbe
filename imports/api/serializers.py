from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from ..choices import ImportKind
from ..models import ImportJob
from ..selectors import import_job_progress


class ImportInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        allow_empty_file=False,
        error_messages={
            "required": "فایل را بفرستید (فیلد file).",
            "empty": "فایل خالی است.",
            "invalid": "فایل فرستاده نشد؛ درخواست را multipart/form-data بفرستید.",
        },
    )
    kind = serializers.ChoiceField(
        choices=ImportKind.choices,
        error_messages={"invalid_choice": "نوع «{input}» پذیرفته نیست."},
    )
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportErrorSerializer(serializers.Serializer[Any]):
    sheet = serializers.CharField()
    row = serializers.IntegerField(help_text="Row number of the file (the header row is 1).")
    column = serializers.CharField(help_text="The column's header as in the file; empty: the row.")
    message = serializers.CharField(help_text="In Persian.")


class ProgressSerializer(serializers.Serializer[Any]):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class CountsSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportJobSerializer(serializers.ModelSerializer[ImportJob]):
    url = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    # DRF's metaclass takes declared fields off the class: ``Serializer.errors`` stays intact.
    errors = ImportErrorSerializer(many=True, read_only=True)  # type: ignore[assignment]

    class Meta:
        model = ImportJob
        fields: tuple[str, ...] = (
            "id",
            "url",
            "kind",
            "dry_run",
            "original_name",
            "status",
            "status_display",
            "progress",
            "counts",
            "error_count",
            "errors",
            "preview",
            "created_at",
            "finished_at",
            "expired_at",
        )
        read_only_fields: tuple[str, ...] = fields

    def _progress(self, job: ImportJob) -> dict[str, Any]:
        cached = getattr(job, "_progress", None)
        if cached is None:
            cached = import_job_progress(job)
            job._progress = cached  # type: ignore[attr-defined]
        return cached

    def get_url(self, job: ImportJob) -> str:
        path = reverse("importjob-detail", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_status(self, job: ImportJob) -> str:
        return str(self._progress(job)["status"])

    def get_status_display(self, job: ImportJob) -> str:
        return str(self._progress(job)["status_display"])

    def get_progress(self, job: ImportJob) -> dict[str, int]:
        p = self._progress(job)
        return {"done": p["done"], "total": p["total"], "percent": p["percent"]}

    def get_counts(self, job: ImportJob) -> dict[str, int]:
        return {
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
        }


class ImportJobListSerializer(ImportJobSerializer):
    class Meta(ImportJobSerializer.Meta):
        fields = tuple(f for f in ImportJobSerializer.Meta.fields if f not in ("errors", "preview"))
        read_only_fields = fields
