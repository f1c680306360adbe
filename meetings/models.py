"""Meetings between organisations: who attended, the agenda, minutes, decisions, action items."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracker.models import HashedSecretToken

from .choices import (
    MAX_MINUTES_LENGTH,
    ActionItemStatus,
    AttendanceRole,
    AttendanceStatus,
    InvitationResponse,
    MeetingEventKind,
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


class Attendance(models.Model):
    """A named person or an unnamed group at a meeting, as they were at that meeting."""

    # Children of a meeting are part of it: they go with it (CASCADE); links to
    # organisations and people are domain links (PROTECT).
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("جلسه"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "organizations.Person",
        verbose_name=_("شخص"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    group_label = models.CharField(_("عنوان گروه"), max_length=300, blank=True)
    head_count = models.PositiveIntegerField(_("تعداد نفرات"), null=True, blank=True)
    # The organisation and title the person held at this meeting: people change jobs,
    # old meetings keep what was true then.
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("سازمان"),
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    position_title = models.CharField(_("سمت در زمان جلسه"), max_length=255, blank=True)
    role = models.CharField(
        _("نقش در جلسه"),
        max_length=16,
        choices=AttendanceRole.choices,
        default=AttendanceRole.MEMBER,
    )
    status = models.CharField(
        _("حضور"),
        max_length=16,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)

    class Meta:
        verbose_name = _("حاضر در جلسه")
        verbose_name_plural = _("حاضران جلسه")
        ordering = ("meeting", "order", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(group_label=""))
                | (Q(person__isnull=True) & ~Q(group_label="")),
                name="attendance_person_xor_group",
            ),
            models.UniqueConstraint(
                fields=("meeting", "person"),
                condition=Q(person__isnull=False),
                name="attendance_person_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(head_count__isnull=True) | Q(head_count__gte=1),
                name="attendance_head_count_positive",
            ),
            models.CheckConstraint(
                condition=Q(role__in=AttendanceRole.values), name="attendance_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id and self.person else self.group_label

    @property
    def is_group(self) -> bool:
        return self.person_id is None


class AgendaItem(models.Model):
    """One topic of a meeting's agenda, in order."""

    # Indexed by agenda_item_order_unique (meeting, order).
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("جلسه"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
        db_index=False,
    )
    order = models.PositiveSmallIntegerField(_("ترتیب"))
    title = models.CharField(_("موضوع"), max_length=500)
    description = models.TextField(_("توضیح"), blank=True)

    class Meta:
        verbose_name = _("دستور جلسه")
        verbose_name_plural = _("دستور جلسه")
        ordering = ("meeting", "order")
        constraints = [
            models.UniqueConstraint(fields=("meeting", "order"), name="agenda_item_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """What a meeting resolved, in order, optionally on one agenda item."""

    # Indexed by decision_order_unique (meeting, order).
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("جلسه"),
        on_delete=models.CASCADE,
        related_name="decisions",
        db_index=False,
    )
    order = models.PositiveSmallIntegerField(_("ترتیب"))
    text = models.TextField(_("مصوبه"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("دستور جلسه"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )

    class Meta:
        verbose_name = _("مصوبه")
        verbose_name_plural = _("مصوبات")
        ordering = ("meeting", "order")
        constraints = [
            models.UniqueConstraint(fields=("meeting", "order"), name="decision_order_unique")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Statement(models.Model):
    """What one attendee said at a meeting, in order (from the minutes or a report)."""

    # Indexed by statement_order_unique (meeting, order).
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("جلسه"),
        on_delete=models.CASCADE,
        related_name="statements",
        db_index=False,
    )
    order = models.PositiveSmallIntegerField(_("ترتیب"))
    # An attendance of the same meeting (the services check it); None when the report does
    # not say who spoke. PROTECT: replacing the attendance rewrites the statements first.
    speaker = models.ForeignKey(
        Attendance,
        verbose_name=_("گوینده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    text = models.TextField(_("سخن"))

    class Meta:
        verbose_name = _("سخن")
        verbose_name_plural = _("سخنان")
        ordering = ("meeting", "order")
        constraints = [
            models.UniqueConstraint(fields=("meeting", "order"), name="statement_order_unique")
        ]

    def __str__(self) -> str:
        return self.text[:80]


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


class MinutesAddendum(models.Model):
    """A dated correction to approved minutes, with its author; append-only."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("جلسه"), on_delete=models.PROTECT, related_name="addenda"
    )
    text = models.TextField(_("متن الحاقیه"), validators=[MaxLengthValidator(MAX_MINUTES_LENGTH)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("نویسنده"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        verbose_name = _("الحاقیه صورتجلسه")
        verbose_name_plural = _("الحاقیه‌های صورتجلسه")
        ordering = ("meeting", "created_at", "id")

    def __str__(self) -> str:
        return self.text[:80]


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


class CalendarFeedToken(HashedSecretToken):
    """The secret of a user's personal calendar feed; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    prefix = models.CharField(_("پیشوند"), max_length=8, editable=False)

    class Meta:
        verbose_name = _("نشانی تقویم شخصی")
        verbose_name_plural = _("نشانی‌های تقویم شخصی")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("user",),
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"
