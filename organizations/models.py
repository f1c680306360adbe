"""Organisations, the people who represent them, and who may log in for which of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracker.models import HashedSecretToken

from .choices import OrganizationKind, Role


class Organization(models.Model):
    """A municipality, an industrial estate, a provincial estates company or another body."""

    name = models.CharField(_("نام"), max_length=255)
    # normalize(name): two spellings of one name (ي/ی, ZWNJ) are one organisation within one
    # parent; under different parents (two «شهرداری مرکزی») they are two.
    name_key = models.CharField(_("کلید نام"), max_length=255, editable=False)
    kind = models.CharField(_("نوع"), max_length=32, choices=OrganizationKind.choices)
    province = models.CharField(_("استان"), max_length=100, blank=True)
    county = models.CharField(_("شهرستان"), max_length=100, blank=True)
    city = models.CharField(_("شهر"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("سازمان بالادست"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(_("فعال"), default=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True, db_index=True)
    #: Normalised text that ``q`` matches (tracker/search.py), written by database
    #: triggers (organizations/migrations/0004_search_text.py); never set in Python.
    search_text = models.TextField(_("متن جستجو"), editable=False, db_default="")

    class Meta:
        verbose_name = _("سازمان")
        verbose_name_plural = _("سازمان‌ها")
        ordering = ("name",)
        indexes = [
            models.Index(fields=["name", "id"], name="organization_name_id_idx"),
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="organization_search_trgm"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organization_not_own_parent"
            ),
            # name_key first: the index also serves lookups by name alone. NULLS NOT
            # DISTINCT: two top-level organisations (no parent) may not share a name either.
            models.UniqueConstraint(
                fields=("name_key", "parent"),
                nulls_distinct=False,
                name="organization_name_unique_per_parent",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.pk])


class Person(models.Model):
    """Someone who represents an organisation; titles held at a meeting live on Attendance."""

    full_name = models.CharField(_("نام و نام خانوادگی"), max_length=200)
    name_key = models.CharField(_("کلید نام"), max_length=200, editable=False, db_index=True)
    position_title = models.CharField(_("سمت"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("سازمان"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    # The organisation whose staff entered this person: they keep seeing their contact
    # even when the person represents a counterpart outside their scope.
    registered_by_organization = models.ForeignKey(
        Organization,
        verbose_name=_("ثبت‌شده توسط سازمان"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_people",
    )
    phone = models.CharField(_("تلفن"), max_length=32, blank=True)
    email = models.EmailField(_("رایانامه"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان ویرایش"), auto_now=True)
    #: Normalised text that ``q`` matches (tracker/search.py), written by database
    #: triggers (organizations/migrations/0004_search_text.py); never set in Python.
    search_text = models.TextField(_("متن جستجو"), editable=False, db_default="")

    class Meta:
        verbose_name = _("شخص")
        verbose_name_plural = _("اشخاص")
        ordering = ("full_name", "id")
        # The people list's order: a page reads 50 rows of the index instead of sorting all.
        indexes = [
            models.Index(fields=["full_name", "id"], name="person_name_id_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="person_search_trgm"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    """A login user's role in an organisation; it also covers the organisation's descendants."""

    # Indexed by membership_unique (user, organization).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("سازمان"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("نقش"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)

    class Meta:
        verbose_name = _("عضویت")
        verbose_name_plural = _("عضویت‌ها")
        constraints = [
            models.UniqueConstraint(fields=("user", "organization"), name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class ApiToken(HashedSecretToken):
    """A named API token of a user; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("نام"), max_length=100)
    prefix = models.CharField(_("پیشوند"), max_length=12, editable=False)
    read_only = models.BooleanField(_("فقط خواندنی"), default=True)
    expires_at = models.DateTimeField(_("انقضا"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("آخرین استفاده"), null=True, blank=True)

    class Meta:
        verbose_name = _("توکن API")
        verbose_name_plural = _("توکن‌های API")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
