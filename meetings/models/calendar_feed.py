"""Calendar feed tokens (a hashed secret in the feed URL)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.models import HashedSecretToken


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
