"""Action items: what someone must do by a date, from a meeting."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    ActionItemStatus,
)
from .meeting import Meeting
from .record import Decision


class ActionItem(models.Model):
    """Something someone must do by a date, from a meeting (optionally from one decision)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("جلسه"), on_delete=models.PROTECT, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("مصوبه"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    description = models.TextField(_("شرح اقدام"))
    owner_person = models.ForeignKey(
        "organizations.Person",
        verbose_name=_("مسئول (شخص)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("مسئول (سازمان)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("تفاهم‌نامه"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_date = models.DateField(_("مهلت"))
    status = models.CharField(
        _("وضعیت"),
        max_length=16,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    completed_at = models.DateTimeField(_("زمان انجام"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده انجام"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completion_note = models.TextField(_("توضیح انجام"), blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True, db_index=True)
    #: Normalised text that ``q`` matches (tracker/search.py), written by database
    #: triggers (meetings/migrations/0006_search_text.py); never set in Python.
    search_text = models.TextField(_("متن جستجو"), editable=False, db_default="")

    class Meta:
        verbose_name = _("اقدام")
        verbose_name_plural = _("اقدامات")
        ordering = ("due_date", "id")
        indexes = [
            # "Open items due before X" (overdue lists, reminders, dashboards): a partial
            # index holds only the open rows, ordered by due date then id (the lists' order,
            # so "the next 50 due" stops after 50 rows).
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status=ActionItemStatus.OPEN),
                name="actionitem_open_due_id_idx",
            ),
            models.Index(fields=["status", "due_date"], name="actionitem_status_due_idx"),
            # The default order (lists, API pages).
            models.Index(fields=["due_date", "id"], name="actionitem_due_id_idx"),
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="actionitem_search_trgm"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False) | Q(owner_organization__isnull=False),
                name="actionitem_has_owner",
            ),
            models.CheckConstraint(
                condition=(Q(status=ActionItemStatus.DONE) & Q(completed_at__isnull=False))
                | (~Q(status=ActionItemStatus.DONE) & Q(completed_at__isnull=True)),
                name="actionitem_completed_at_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionItemStatus.values), name="actionitem_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]
