"""Choices of the meetings app, and the meeting lifecycle declared once as data."""

from django.db import models
from django.db.models import TextChoices


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", "هماهنگی"
    NEGOTIATION = "negotiation", "مذاکره"
    SIGNING = "signing", "امضا"
    FOLLOW_UP = "follow_up", "پیگیری"
    OTHER = "other", "سایر"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "برنامه‌ریزی‌شده"
    HELD = "held", "برگزارشده"
    MINUTES_APPROVED = "minutes_approved", "صورتجلسه تأییدشده"
    CANCELLED = "cancelled", "لغوشده"


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", "رئیس جلسه"
    SECRETARY = "secretary", "دبیر جلسه"
    MEMBER = "member", "عضو"
    GUEST = "guest", "مهمان"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "دعوت‌شده"
    PRESENT = "present", "حاضر"
    ABSENT = "absent", "غایب"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "باز"
    DONE = "done", "انجام‌شده"
    CANCELLED = "cancelled", "لغوشده"


class OpenItemsOnCancel(models.TextChoices):
    """What cancelling a meeting does with its open action items (``meeting_cancel``)."""

    CANCEL = "cancel", "همراه جلسه لغو شوند"
    KEEP = "keep", "باز بمانند برای جلسه بعدی"


class MeetingEventKind(models.TextChoices):
    LOGGED = "logged", "ثبت جلسه"
    UPDATED = "updated", "ویرایش"
    HELD = "held", "برگزار شد"
    CANCELLED = "cancelled", "لغو"
    MINUTES_APPROVED = "minutes_approved", "تأیید صورتجلسه"
    ADDENDUM = "addendum", "الحاقیه صورتجلسه"
    AGREEMENT_LINKED = "agreement_linked", "پیوند به تفاهم‌نامه"
    ACTION_CREATED = "action_created", "ثبت اقدام"
    ACTION_COMPLETED = "action_completed", "انجام اقدام"
    ACTION_REASSIGNED = "action_reassigned", "واگذاری اقدام"
    ACTION_CANCELLED = "action_cancelled", "لغو اقدام"
    INVITATION_DECLINED = "invitation_declined", "رد دعوت"
    INVITATION_ACCEPTED = "invitation_accepted", "پذیرش دعوت"
    REVIEW_CONFIRMED = "review_confirmed", "تأیید جلسه خوانده‌شده از متن"


class InvitationResponse(TextChoices):
    """A participant organisation's answer to the host's invitation. No row means it has
    not answered, which counts as taking part (the meeting was logged with it)."""

    DECLINED = "declined", "ردشده"
    ACCEPTED = "accepted", "پذیرفته‌شده"


# The meeting lifecycle, declared once: status -> the statuses it may move to.
# A held meeting cannot be cancelled (it happened); approved minutes are final.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset({MeetingStatus.MINUTES_APPROVED}),
    MeetingStatus.MINUTES_APPROVED: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}

# Statuses in which the meeting's own record (minutes, attendance, decisions) may change.
EDITABLE_STATUSES = frozenset({MeetingStatus.PLANNED, MeetingStatus.HELD})

ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionItemStatus.OPEN: frozenset({ActionItemStatus.DONE, ActionItemStatus.CANCELLED}),
    ActionItemStatus.DONE: frozenset(),
    ActionItemStatus.CANCELLED: frozenset(),
}

MAX_MINUTES_LENGTH = 200_000
