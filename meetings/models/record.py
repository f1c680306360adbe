"""What a meeting recorded: attendance, agenda, decisions, statements, minutes addenda."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    MAX_MINUTES_LENGTH,
    AttendanceRole,
    AttendanceStatus,
)
from .meeting import Meeting


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
