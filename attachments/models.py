"""Files attached to meetings, agreements and commitments, and the record of deletions."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def attachment_path(instance: Attachment, filename: str) -> str:
    """The storage name: a random one under the object's app, never the user's name (which
    is kept, cleaned, in ``original_name`` and given back only as the download name)."""
    suffix = PurePosixPath(filename).suffix.lower()[:16]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """One file attached to one registered object (a meeting, an agreement, ...)."""

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("نوع موضوع"),
    )
    object_id = models.PositiveBigIntegerField(_("شناسه موضوع"))
    file = models.FileField(_("فایل"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("نام فایل"), max_length=160)
    title = models.CharField(_("عنوان"), max_length=200, blank=True)
    mime_type = models.CharField(_("نوع محتوا"), max_length=120)
    size = models.PositiveBigIntegerField(_("حجم (بایت)"))
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachments_uploaded",
        verbose_name=_("بارگذاری‌کننده"),
    )
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"), default=timezone.now)

    class Meta:
        verbose_name = _("پیوست")
        verbose_name_plural = _("پیوست‌ها")
        ordering = ("-uploaded_at", "-id")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-uploaded_at", "-id"],
                name="attachment_object_order",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_size_positive")
        ]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def display_title(self) -> str:
        return self.title or self.original_name


class AttachmentDeletion(models.Model):
    """Append-only: who deleted which attachment of which object, and when (the file itself
    is removed from storage)."""

    attachment_id = models.PositiveBigIntegerField(_("شناسه پیوست"))
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("نوع موضوع"),
    )
    object_id = models.PositiveBigIntegerField(_("شناسه موضوع"))
    original_name = models.CharField(_("نام فایل"), max_length=160)
    title = models.CharField(_("عنوان"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("حجم (بایت)"))
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("بارگذاری‌کننده"),
    )
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"))
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachment_deletions",
        verbose_name=_("حذف‌کننده"),
    )
    deleted_at = models.DateTimeField(_("زمان حذف"))

    class Meta:
        verbose_name = _("حذف پیوست")
        verbose_name_plural = _("حذف‌های پیوست")
        ordering = ("-deleted_at", "-id")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="attachment_deletion_object")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.deleted_at:%Y-%m-%d})"
