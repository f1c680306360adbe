"""Choices of the notifications app."""

from django.db import models


class RuleCode(models.TextChoices):
    MEETING_UPCOMING = "meeting_upcoming", "جلسه پیش رو"
    MEETING_RESCHEDULED = "meeting_rescheduled", "تغییر زمان جلسه"
    ACTION_ITEM_DUE = "action_item_due", "سررسید اقدام"
    ACTION_ITEM_OVERDUE = "action_item_overdue", "اقدام معوق"
    AGREEMENT_STAGE_LIMIT = "agreement_stage_limit", "مهلت مرحله تفاهم‌نامه"
    AGREEMENT_REVIEW_DEADLINE = "agreement_review_deadline", "مهلت بررسی تفاهم‌نامه"
    AGREEMENT_EXPIRY = "agreement_expiry", "پایان اعتبار تفاهم‌نامه"
    COMMITMENT_DUE = "commitment_due", "سررسید تعهد"
    COMMITMENT_OVERDUE = "commitment_overdue", "تعهد معوق"
    WORK_ASSIGNED = "work_assigned", "کار منتظر اقدام"
    CUSTOM = "custom", "سایر"


class ReminderState(models.TextChoices):
    PENDING = "pending", "در انتظار"
    DISPATCHED = "dispatched", "ارسال‌شده به صف"
    CANCELLED = "cancelled", "لغوشده"
    STALE = "stale", "کهنه (زمان تغییر کرد)"
    EXPIRED = "expired", "منقضی"


class Channel(models.TextChoices):
    IN_APP = "in_app", "صندوق پیام"
    EMAIL = "email", "رایانامه"
    SMS = "sms", "پیامک"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "در انتظار ارسال"
    SENT = "sent", "ارسال‌شده"
    FAILED = "failed", "ناموفق"
    CANCELLED = "cancelled", "لغوشده"


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", "فوری"
    DIGEST = "digest", "خلاصه روزانه"


#: States in which a reminder for one (target, rule, kind, recipient, anchor) may exist only
#: once: re-planning the same time again must not send it again.
LIVE_REMINDER_STATES = (ReminderState.PENDING, ReminderState.DISPATCHED, ReminderState.EXPIRED)
