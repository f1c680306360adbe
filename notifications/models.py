"""Reminders (what is due to whom, when and why), their deliveries, rules and preferences.

A reminder points at its target (a meeting, an action item, an agreement) through a generic
relation: the notifications app serves three other apps and must not depend on their
migrations, and the planners in ``rules.py`` know each target type.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    LIVE_REMINDER_STATES,
    Channel,
    DeliveryMode,
    DeliveryStatus,
    ReminderState,
    RuleCode,
)


class ReminderRule(models.Model):
    """An admin's override of a default reminder rule (defaults live in ``rules.py``)."""

    code = models.CharField(_("قاعده"), max_length=40, choices=RuleCode.choices, unique=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    # Hours before a meeting; days before a due date, a review deadline or an expiry.
    offsets = models.JSONField(_("فاصله‌ها"), default=list, blank=True)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("ارجاع به مدیران پس از (روز)"), null=True, blank=True
    )
    # Agreement workflow state -> days allowed in it, e.g. {"legal_review": 14}.
    state_limits = models.JSONField(_("مهلت هر مرحله (روز)"), default=dict, blank=True)
    send_hour = models.PositiveSmallIntegerField(_("ساعت ارسال (تهران)"), default=9)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)

    class Meta:
        verbose_name = _("قاعده یادآوری")
        verbose_name_plural = _("قواعد یادآوری")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=Q(send_hour__lte=23), name="reminder_rule_send_hour_valid"
            ),
            models.CheckConstraint(
                condition=Q(code__in=RuleCode.values), name="reminder_rule_code_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class Reminder(models.Model):
    """One message due to one user at one time about one target, made by a rule."""

    # Indexed by reminder_target_state (content_type, object_id, state).
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("نوع موضوع"),
        on_delete=models.PROTECT,
        related_name="notification_reminders",
        db_index=False,
    )
    object_id = models.PositiveBigIntegerField(_("شناسه موضوع"))
    target = GenericForeignKey("content_type", "object_id")
    rule = models.CharField(_("قاعده"), max_length=40, choices=RuleCode.choices)
    # Which reminder of the rule: "before:24h", "due:-3d", "overdue:2025-07-01", ...
    kind = models.CharField(_("نوع"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("گیرنده"),
        on_delete=models.CASCADE,
        related_name="notification_reminders",
    )
    due_at = models.DateTimeField(_("زمان ارسال"))
    # The target's time this reminder was planned for (a meeting's start, a due date).
    anchor_at = models.DateTimeField(_("زمان مبنا"))
    # After this the reminder is pointless (the meeting began): expired, not sent.
    expires_at = models.DateTimeField(_("انقضا"), null=True, blank=True)
    state = models.CharField(
        _("وضعیت"), max_length=16, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    digestible = models.BooleanField(_("قابل تجمیع در خلاصه"), default=True)
    title = models.CharField(_("عنوان"), max_length=255)
    body = models.TextField(_("متن"), blank=True)
    url = models.CharField(_("پیوند"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)
    dispatched_at = models.DateTimeField(_("زمان ارسال به صف"), null=True, blank=True)

    class Meta:
        verbose_name = _("یادآوری")
        verbose_name_plural = _("یادآوری‌ها")
        ordering = ("due_at", "id")
        indexes = [
            # The sweep reads only pending rows whose time has come: with this partial index
            # its cost follows the number due, not the number stored.
            models.Index(
                fields=["due_at"],
                condition=Q(state=ReminderState.PENDING),
                name="reminder_due_pending",
            ),
            models.Index(
                fields=["content_type", "object_id", "state"], name="reminder_target_state"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rule", "kind", "recipient", "anchor_at"],
                condition=Q(state__in=LIVE_REMINDER_STATES),
                name="reminder_unique_live",
            ),
            models.CheckConstraint(
                condition=Q(rule__in=RuleCode.values), name="reminder_rule_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReminderState.values), name="reminder_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One reminder sent (or to be sent) to one recipient through one channel."""

    # Indexed by delivery_unique_per_channel (reminder, recipient, channel).
    reminder = models.ForeignKey(
        Reminder,
        verbose_name=_("یادآوری"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("گیرنده"),
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
    )
    channel = models.CharField(_("مجرا"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("وضعیت"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    # Deliveries of one recipient made in one sweep for a digest share a batch: one message.
    batch = models.CharField(_("دسته"), max_length=36, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("تعداد تلاش"), default=0)
    last_error = models.TextField(_("آخرین خطا"), blank=True)
    enqueued_at = models.DateTimeField(_("زمان ورود به صف"), null=True, blank=True)
    sent_at = models.DateTimeField(_("زمان ارسال"), null=True, blank=True)
    read_at = models.DateTimeField(_("زمان خواندن"), null=True, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)

    class Meta:
        verbose_name = _("تحویل")
        verbose_name_plural = _("تحویل‌ها")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient", "channel"], name="delivery_unique_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [
            # The header badge counts these on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(channel=Channel.IN_APP, status=DeliveryStatus.SENT, read_at=None),
                name="delivery_unread_inbox",
            ),
            # The sweep re-enqueues pending deliveries whose message was lost.
            models.Index(
                fields=["enqueued_at"],
                condition=Q(status=DeliveryStatus.PENDING),
                name="delivery_pending_enqueued",
            ),
            models.Index(fields=["status", "created_at"], name="delivery_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.recipient} ({self.get_channel_display()})"


class NotificationPreference(models.Model):
    """How a user wants reminders: channels, mobile number, quiet hours, digest or immediate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    in_app = models.BooleanField(_("صندوق پیام"), default=True)
    email = models.BooleanField(_("رایانامه"), default=True)
    sms = models.BooleanField(_("پیامک"), default=False)
    phone = models.CharField(_("شماره همراه"), max_length=32, blank=True)
    # Local Asia/Tehran times; a window may wrap midnight (22:00–07:00).
    quiet_start = models.TimeField(_("آغاز ساعات سکوت"), null=True, blank=True)
    quiet_end = models.TimeField(_("پایان ساعات سکوت"), null=True, blank=True)
    mode = models.CharField(
        _("شیوه ارسال"), max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    digest_hour = models.PositiveSmallIntegerField(_("ساعت خلاصه روزانه (تهران)"), default=8)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)

    class Meta:
        verbose_name = _("ترجیح اعلان")
        verbose_name_plural = _("ترجیحات اعلان")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23), name="preference_digest_hour_valid"
            ),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="preference_quiet_hours_both_or_none",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=DeliveryMode.values), name="preference_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}"
