"""Commitments of the parties of an agreement, each due date tracked as its own occurrence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementParty
from meetings.models import ActionItem, Decision
from organizations.models import Person
from tracker.text import to_persian_digits

from .choices import OccurrenceStatus, Recurrence

#: Words a clause may start with that already say what it is.
CLAUSE_KINDS = ("بند", "ماده", "تبصره", "پیوست", "فصل", "الحاقیه", "جزء")


class Commitment(models.Model):
    """A promise of one party of an agreement: once, or every month, quarter or year."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("تفاهم‌نامه"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("طرف متعهد"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    clause = models.CharField(_("بند / ماده"), max_length=64, blank=True)
    title = models.CharField(_("عنوان"), max_length=255)
    description = models.TextField(_("شرح"), blank=True)
    recurrence = models.CharField(
        _("تکرار"), max_length=16, choices=Recurrence.choices, default=Recurrence.NONE
    )
    # The (first) due date; a recurring commitment repeats from it.
    due_date = models.DateField(_("مهلت"))
    # The last day a recurrence may fall on; empty: until the agreement's expiry date.
    repeat_until = models.DateField(_("تکرار تا"), null=True, blank=True)
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("مسئول"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    # When the commitment last became someone's (created, party or responsible changed):
    # the anchor of the «a commitment became yours» notice.
    assigned_at = models.DateTimeField(_("زمان واگذاری"), default=timezone.now)
    source_decision = models.ForeignKey(
        Decision,
        verbose_name=_("مصوبه مبنا"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    source_action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("اقدام مبنا"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ایجادکننده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)

    class Meta:
        verbose_name = _("تعهد")
        verbose_name_plural = _("تعهدات")
        ordering = ("due_date", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(recurrence__in=Recurrence.values), name="commitment_recurrence_valid"
            ),
            models.CheckConstraint(
                condition=Q(repeat_until__isnull=True) | Q(repeat_until__gte=F("due_date")),
                name="commitment_until_after_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment_detail", args=[self.pk])

    @property
    def clause_label(self) -> str:
        """The clause as a reader says it: «ماده ۳» or «بند ۲-۱» as typed when it names its
        kind, «بند ۳» when only a number was typed; Persian digits."""
        text = (self.clause or "").strip()
        if not text:
            return ""
        if not text.startswith(CLAUSE_KINDS):
            text = f"بند {text}"
        return to_persian_digits(text)


class CommitmentOccurrence(models.Model):
    """One due date of a commitment, with its own status, evidence and who closed it."""

    # Indexed by commitment_occurrence_number_unique (commitment, number).
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("تعهد"),
        on_delete=models.PROTECT,
        related_name="occurrences",
        db_index=False,
    )
    number = models.PositiveIntegerField(_("نوبت"))
    due_date = models.DateField(_("مهلت"))
    # Changed only by services through workflow.py's table.
    status = models.CharField(
        _("وضعیت"),
        max_length=16,
        choices=OccurrenceStatus.choices,
        default=OccurrenceStatus.OPEN,
        editable=False,
    )
    status_changed_at = models.DateTimeField(_("زمان تغییر وضعیت"), default=timezone.now)
    # Null with a changed status: the system (the late job).
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("تغییردهنده وضعیت"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_note = models.TextField(_("شرح انجام و مستندات"), blank=True)
    waiver_reason = models.TextField(_("دلیل بخشودگی"), blank=True)

    class Meta:
        verbose_name = _("نوبت تعهد")
        verbose_name_plural = _("نوبت‌های تعهد")
        ordering = ("due_date", "id")
        indexes = [
            # The late job and the overdue filter: unfulfilled rows by due date.
            models.Index(fields=["status", "due_date"], name="occurrence_status_due_idx"),
            models.Index(fields=["due_date", "id"], name="occurrence_due_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("commitment", "number"), name="commitment_occurrence_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OccurrenceStatus.values), name="occurrence_status_valid"
            ),
            # Done needs its evidence note, waived its reason (the services say so in Persian).
            models.CheckConstraint(
                condition=~Q(status=OccurrenceStatus.DONE) | ~Q(evidence_note=""),
                name="occurrence_done_has_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=OccurrenceStatus.WAIVED) | ~Q(waiver_reason=""),
                name="occurrence_waived_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} ({self.number})"

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment_detail", args=[self.commitment_id])


class OccurrenceStatusChange(models.Model):
    """One move of an occurrence between statuses (append-only); no actor means «system»."""

    # Indexed by occurrence_status_change_at (occurrence, at).
    occurrence = models.ForeignKey(
        CommitmentOccurrence,
        verbose_name=_("نوبت تعهد"),
        on_delete=models.PROTECT,
        related_name="status_changes",
        db_index=False,
    )
    from_status = models.CharField(
        _("از وضعیت"), max_length=16, choices=OccurrenceStatus.choices, blank=True
    )
    to_status = models.CharField(_("به وضعیت"), max_length=16, choices=OccurrenceStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("انجام‌دهنده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("زمان"), default=timezone.now)
    note = models.TextField(_("توضیح"), blank=True)

    class Meta:
        verbose_name = _("تغییر وضعیت نوبت تعهد")
        verbose_name_plural = _("تغییرات وضعیت نوبت‌های تعهد")
        ordering = ("occurrence", "at", "id")
        indexes = [models.Index(fields=("occurrence", "at"), name="occurrence_status_change_at")]
        constraints = [
            # from_status is blank on the first row (the occurrence's planning).
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=OccurrenceStatus.values),
                name="occurrence_status_change_from_valid",
            ),
            models.CheckConstraint(
                condition=Q(to_status__in=OccurrenceStatus.values),
                name="occurrence_status_change_to_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id}: {self.from_status or '—'} → {self.to_status}"
