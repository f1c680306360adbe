"""Memoranda of understanding, their parties, numbered text versions and status history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization

from .choices import AgreementStatus, PartyRole


class Agreement(models.Model):
    """A memorandum of understanding owned by one organisation, moving through the workflow."""

    # Indexed by agreement_reference_unique_per_owner (owning_organization, reference_key).
    owning_organization = models.ForeignKey(
        Organization,
        verbose_name=_("سازمان مالک"),
        on_delete=models.PROTECT,
        related_name="owned_agreements",
        db_index=False,
    )
    reference_number = models.CharField(_("شماره"), max_length=64)
    # normalize(reference_number): «ت/۱۳۹۹/۰۰۱» and «ت/1399/001» are one number.
    reference_key = models.CharField(_("کلید شماره"), max_length=64, editable=False)
    title = models.CharField(_("عنوان"), max_length=255)
    subject = models.TextField(_("موضوع"), blank=True)
    # Changed only by services.agreement_transition (workflow.py holds the rules). No index
    # of its own: agreement_status_since_idx starts with it.
    status = models.CharField(
        _("وضعیت"),
        max_length=32,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        editable=False,
    )
    # When the agreement entered its current status: per-state time limits count from here.
    status_changed_at = models.DateTimeField(_("زمان ورود به وضعیت فعلی"), default=timezone.now)
    review_deadline = models.DateField(_("مهلت بررسی"), null=True, blank=True)
    target_signing_date = models.DateField(_("تاریخ هدف امضا"), null=True, blank=True)
    signed_date = models.DateField(_("تاریخ امضا"), null=True, blank=True)
    effective_date = models.DateField(_("تاریخ اجرا"), null=True, blank=True)
    expiry_date = models.DateField(_("تاریخ انقضا"), null=True, blank=True)
    notice_period_days = models.PositiveSmallIntegerField(
        _("مهلت اعلام پیش از انقضا (روز)"), null=True, blank=True
    )
    signed_scan = models.FileField(
        _("نسخه اسکن‌شده امضاشده"), upload_to="agreements/signed/%Y/", blank=True
    )
    # Optimistic concurrency: an edit names the lock_version it read; the UPDATE matches it.
    lock_version = models.PositiveIntegerField(_("نسخه قفل"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ایجادکننده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_agreements",
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    # No index of its own: agreement_updated_id_idx starts with it.
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)
    #: Normalised text that ``q`` matches (tracker/search.py), written by database
    #: triggers (agreements/migrations/0005_search_text.py); never set in Python.
    search_text = models.TextField(_("متن جستجو"), editable=False, db_default="")

    # Field history only. A status move is recorded once, as an AgreementStatusChange (the
    # intent: from, to, who, why); the transition writes no history row, and the status
    # columns are not copied into the rows of field edits either.
    history = HistoricalRecords(
        verbose_name=_("تاریخچه تفاهم‌نامه"),
        excluded_fields=["reference_key", "status", "status_changed_at", "search_text"],
    )

    class Meta:
        verbose_name = _("تفاهم‌نامه")
        verbose_name_plural = _("تفاهم‌نامه‌ها")
        ordering = ("-updated_at", "-id")
        indexes = [
            # The default order (lists, API pages), walked backwards.
            models.Index(fields=["updated_at", "id"], name="agreement_updated_id_idx"),
            # Upcoming deadlines (dashboard, reminders): a date window read in date order.
            models.Index(fields=["review_deadline", "id"], name="agreement_review_id_idx"),
            models.Index(fields=["expiry_date", "id"], name="agreement_expiry_id_idx"),
            # Workflow time limits: per state, the date it was entered.
            models.Index(fields=["status", "status_changed_at"], name="agreement_status_since_idx"),
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="agreement_search_trgm"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("owning_organization", "reference_key"),
                name="agreement_reference_unique_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(effective_date__isnull=True)
                | Q(expiry_date__gt=F("effective_date")),
                name="agreement_expiry_after_effective",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference_number} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_detail", args=[self.pk])


class AgreementParty(models.Model):
    """An organisation that is a party (or witness) to an agreement."""

    # Indexed by agreement_party_unique_org (agreement, organization).
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("تفاهم‌نامه"),
        on_delete=models.PROTECT,
        related_name="parties",
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("سازمان"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("نقش"), max_length=16, choices=PartyRole.choices)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)

    class Meta:
        verbose_name = _("طرف تفاهم‌نامه")
        verbose_name_plural = _("طرفین تفاهم‌نامه")
        ordering = ("agreement", "role", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("agreement", "organization"), name="agreement_party_unique_org"
            ),
            # One first party and one second party; witnesses may be several.
            models.UniqueConstraint(
                fields=("agreement", "role"),
                condition=Q(role__in=[PartyRole.FIRST_PARTY, PartyRole.SECOND_PARTY]),
                name="agreement_party_unique_principal_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values), name="agreement_party_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class AgreementVersion(models.Model):
    """One numbered text of an agreement; rows are never edited except to lose ``is_current``."""

    # Indexed by agreement_version_number_unique (agreement, number).
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("تفاهم‌نامه"),
        on_delete=models.PROTECT,
        related_name="versions",
        db_index=False,
    )
    number = models.PositiveIntegerField(_("شماره نسخه"))
    text = models.TextField(_("متن"))
    change_note = models.CharField(_("شرح تغییر"), max_length=500, blank=True)
    base_version = models.ForeignKey(
        "self",
        verbose_name=_("نسخه مبنا"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_versions",
    )
    is_current = models.BooleanField(_("نسخه جاری"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("نویسنده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_versions",
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), default=timezone.now)

    class Meta:
        verbose_name = _("نسخه متن تفاهم‌نامه")
        verbose_name_plural = _("نسخه‌های متن تفاهم‌نامه")
        ordering = ("agreement", "number")
        constraints = [
            models.UniqueConstraint(
                fields=("agreement", "number"), name="agreement_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=("agreement",),
                condition=Q(is_current=True),
                name="agreement_version_one_current",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="agreement_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference_number} – نسخه {self.number}"


class AgreementApproval(models.Model):
    """A party's approval of one version of the text (a new version needs new approvals)."""

    # Indexed by agreement_approval_once_per_version (party, version).
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("طرف"),
        on_delete=models.PROTECT,
        related_name="approvals",
        db_index=False,
    )
    version = models.ForeignKey(
        AgreementVersion,
        verbose_name=_("نسخه"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("تأییدکننده"),
        on_delete=models.PROTECT,
        related_name="agreement_approvals",
    )
    approved_at = models.DateTimeField(_("زمان تأیید"), default=timezone.now)
    note = models.CharField(_("توضیح"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("تأیید طرف")
        verbose_name_plural = _("تأییدهای طرفین")
        ordering = ("approved_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("party", "version"), name="agreement_approval_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} ✓ {self.version}"


class AgreementStatusChange(models.Model):
    """One move of an agreement between statuses (append-only); no actor means «system»."""

    # Indexed by agreement_status_change_at (agreement, at).
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("تفاهم‌نامه"),
        on_delete=models.PROTECT,
        related_name="status_changes",
        db_index=False,
    )
    from_status = models.CharField(
        _("از وضعیت"), max_length=32, choices=AgreementStatus.choices, blank=True
    )
    to_status = models.CharField(_("به وضعیت"), max_length=32, choices=AgreementStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("انجام‌دهنده"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_status_changes",
    )
    at = models.DateTimeField(_("زمان"), default=timezone.now)
    reason = models.TextField(_("دلیل"), blank=True)
    # The agreement's lock_version right after this move: the anchor that orders the move
    # among the field-history rows (each carries the lock_version it saved). Times cannot:
    # a move's ``at`` may be given (a backdated or system move), a history row's is the clock.
    lock_version = models.PositiveIntegerField(_("نسخه قفل پس از تغییر"))

    class Meta:
        verbose_name = _("تغییر وضعیت تفاهم‌نامه")
        verbose_name_plural = _("تغییرات وضعیت تفاهم‌نامه")
        ordering = ("agreement", "at", "id")
        indexes = [models.Index(fields=("agreement", "at"), name="agreement_status_change_at")]
        constraints = [
            # from_status is blank on the first row (the creation: no status before it).
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=AgreementStatus.values),
                name="agreement_status_change_from_valid",
            ),
            models.CheckConstraint(
                condition=Q(to_status__in=AgreementStatus.values),
                name="agreement_status_change_to_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def actor_label(self) -> str:
        if not self.actor_id:
            return "سامانه"
        from organizations.selectors import user_display_name

        return user_display_name(self.actor)
