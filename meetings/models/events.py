"""A meeting's audit events and the invited organisations' responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    InvitationResponse,
    MeetingEventKind,
)
from .action_items import ActionItem
from .meeting import Meeting


class MeetingEvent(models.Model):
    """Append-only audit row: one per write service call on a meeting or its action items."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("جلسه"), on_delete=models.PROTECT, related_name="events"
    )
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("اقدام"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("رویداد"), max_length=32, choices=MeetingEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("زمان"), auto_now_add=True)
    data = models.JSONField(_("جزئیات"), default=dict, blank=True)

    class Meta:
        verbose_name = _("رویداد جلسه")
        verbose_name_plural = _("رویدادهای جلسه")
        ordering = ("at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingEventKind.values), name="meetingevent_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.meeting_id}"


class ParticipantResponse(models.Model):
    """A participant organisation's answer to the invitation of a meeting's host: declined
    (the meeting leaves its lists, calendars and reminders) or accepted again."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("جلسه"),
        on_delete=models.CASCADE,
        related_name="participant_responses",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("سازمان"),
        on_delete=models.PROTECT,
        related_name="meeting_responses",
    )
    response = models.CharField(
        _("پاسخ به دعوت"), max_length=16, choices=InvitationResponse.choices
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("پاسخ‌دهنده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("زمان پاسخ"))

    class Meta:
        verbose_name = _("پاسخ به دعوت جلسه")
        verbose_name_plural = _("پاسخ‌های دعوت جلسه")
        ordering = ("meeting", "organization")
        constraints = [
            # One answer per organisation and meeting; answering again changes it.
            models.UniqueConstraint(
                fields=("meeting", "organization"), name="participant_response_once"
            ),
            models.CheckConstraint(
                condition=Q(response__in=InvitationResponse.values),
                name="participant_response_valid",
            ),
        ]
        indexes = [
            # The visibility rule asks "has this organisation declined this meeting?" for
            # the user's organisations: the declined rows only, by organisation.
            models.Index(
                fields=["organization", "meeting"],
                condition=Q(response=InvitationResponse.DECLINED),
                name="participant_declined_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} – {self.get_response_display()}"
