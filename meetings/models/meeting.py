"""A meeting and the series it belongs to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import (
    MAX_MINUTES_LENGTH,
    MeetingKind,
    MeetingStatus,
)


class MeetingSeries(models.Model):
    """A run of meetings on one subject, so that follow-ups link up."""

    title = models.CharField(_("عنوان"), max_length=300)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)

    class Meta:
        verbose_name = _("سلسله جلسات")
        verbose_name_plural = _("سلسله‌های جلسات")
        ordering = ("title", "id")

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """A meeting hosted by one organisation with others taking part."""

    title = models.CharField(_("عنوان"), max_length=300)
    kind = models.CharField(
        _("نوع"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.COORDINATION
    )
    status = models.CharField(
        _("وضعیت"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        db_index=True,
    )
    # No index of its own: meeting_start_id_idx starts with it.
    start = models.DateTimeField(_("شروع"))
    end = models.DateTimeField(_("پایان"), null=True, blank=True)
    location = models.CharField(_("محل"), max_length=300, blank=True)
    host = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("سازمان میزبان"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    participants = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("سازمان‌های شرکت‌کننده"),
        related_name="meetings_participated",
        blank=True,
    )
    agreements = models.ManyToManyField(
        "agreements.Agreement",
        verbose_name=_("تفاهم‌نامه‌های مرتبط"),
        related_name="meetings",
        blank=True,
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("سلسله جلسات"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    minutes = models.TextField(
        _("متن صورتجلسه"), blank=True, validators=[MaxLengthValidator(MAX_MINUTES_LENGTH)]
    )
    notes = models.TextField(_("یادداشت"), blank=True)
    source_publication = models.CharField(_("منبع: نشریه"), max_length=200, blank=True)
    source_issue = models.CharField(_("منبع: شماره"), max_length=50, blank=True)
    source_page = models.CharField(_("منبع: صفحه"), max_length=100, blank=True)
    source_date = models.DateField(_("منبع: تاریخ"), null=True, blank=True)
    source_url = models.URLField(_("منبع: پیوند"), max_length=500, blank=True)
    # Logged from a report's text (POST /api/v1/meetings/from-text/, «ثبت از روی متن»):
    # visible to the host only until a person confirms it (meeting_confirm).
    needs_review = models.BooleanField(_("نیازمند بازبینی"), default=False)
    review_items = models.JSONField(_("موارد بازبینی"), default=list, blank=True)
    source_text = models.TextField(
        _("متن گزارش"), blank=True, validators=[MaxLengthValidator(MAX_MINUTES_LENGTH)]
    )
    # tracker.persian.text_key of source_text ("" without one), written with it by the
    # services: the same report pasted again is found by this key (intake_source).
    source_key = models.CharField(_("کلید متن گزارش"), max_length=64, blank=True, editable=False)
    minutes_approved_at = models.DateTimeField(_("زمان تأیید صورتجلسه"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("تأییدکننده صورتجلسه"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("زمان لغو"), null=True, blank=True)
    cancel_reason = models.CharField(_("دلیل لغو"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True, db_index=True)
    #: Normalised text that ``q`` matches (tracker/search.py), written by database
    #: triggers (meetings/migrations/0006_search_text.py); never set in Python.
    search_text = models.TextField(_("متن جستجو"), editable=False, db_default="")

    class Meta:
        verbose_name = _("جلسه")
        verbose_name_plural = _("جلسات")
        ordering = ("-start", "-id")
        indexes = [
            # The default order (lists, API pages): walked backwards for "-start, -id".
            models.Index(fields=["start", "id"], name="meeting_start_id_idx"),
            # Upcoming meetings (dashboard, reminders): the planned ones in start order, so
            # "the next 50" stops after 50 rows however many the window holds.
            models.Index(
                fields=["start", "id"],
                condition=Q(status=MeetingStatus.PLANNED),
                name="meeting_planned_start_idx",
            ),
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="meeting_search_trgm"
            ),
            # A report's text logged again for the same host (intake_source.duplicate_of).
            models.Index(
                fields=["host", "source_key"],
                condition=~Q(source_key=""),
                name="meeting_host_source_key_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="meeting_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            # The services set these with the status (meeting_cancel, minutes_approve), and
            # neither status is ever left: the time is there exactly when the status is.
            models.CheckConstraint(
                condition=(Q(status=MeetingStatus.CANCELLED) & Q(cancelled_at__isnull=False))
                | (~Q(status=MeetingStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="meeting_cancelled_at_iff_cancelled",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=MeetingStatus.MINUTES_APPROVED) & Q(minutes_approved_at__isnull=False)
                )
                | (~Q(status=MeetingStatus.MINUTES_APPROVED) & Q(minutes_approved_at__isnull=True)),
                name="meeting_minutes_approved_at_iff_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])
