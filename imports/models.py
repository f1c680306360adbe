"""One import job: the uploaded file, what it asked for, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import ImportKind, ImportStatus


class ImportJob(models.Model):
    """A file to import, run by a Celery task; its report once it ran."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    kind = models.CharField(_("نوع"), max_length=16, choices=ImportKind.choices)
    dry_run = models.BooleanField(_("پیش‌نمایش (بدون ذخیره)"), default=False)
    #: A page's preview keeps its file for the confirmation (a second, real job takes it).
    keep_file = models.BooleanField(_("نگه‌داشتن فایل برای تأیید"), default=False)
    #: The preview this real run confirms (the page's «تأیید و ورود»).
    confirms = models.OneToOneField(
        "self",
        verbose_name=_("تأیید پیش‌نمایش"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmed_by",
    )
    file = models.FileField(_("فایل"), upload_to="imports/%Y/%m/", blank=True, max_length=300)
    original_name = models.CharField(_("نام فایل"), max_length=255)
    status = models.CharField(
        _("وضعیت"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("تعداد ردیف‌ها"), default=0)
    created_count = models.PositiveIntegerField(_("ایجادشده"), default=0)
    updated_count = models.PositiveIntegerField(_("به‌روزشده"), default=0)
    unchanged_count = models.PositiveIntegerField(_("بدون تغییر"), default=0)
    error_count = models.PositiveIntegerField(_("تعداد خطا"), default=0)
    #: [{"row", "column", "message", "sheet"}], at most IMPORT_MAX_ERRORS of them.
    errors = models.JSONField(_("خطاها"), default=list, blank=True)
    #: {"sheets": [{"sheet", "kind", "headers", "rows": [[number, cells...]]}], "ignored": [...]}
    preview = models.JSONField(_("پیش‌نمایش"), default=dict, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    started_at = models.DateTimeField(_("زمان شروع"), null=True, blank=True)
    finished_at = models.DateTimeField(_("زمان پایان"), null=True, blank=True)
    #: When the retention sweep deleted a file the job still held (an unconfirmed preview
    #: past IMPORT_PREVIEW_RETENTION, or a job that never ran): «منقضی‌شده».
    expired_at = models.DateTimeField(_("زمان انقضا (حذف فایل)"), null=True, blank=True)

    class Meta:
        verbose_name = _("ورود از فایل")
        verbose_name_plural = _("ورودهای از فایل")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="importjob_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="importjob_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def expired(self) -> bool:
        return self.expired_at is not None
