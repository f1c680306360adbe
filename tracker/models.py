"""Abstract models shared by the apps; the project package itself owns no table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HashedSecretToken(models.Model):
    """A user's secret of which only the digest (``tracker.hashing.secret_hash``) is kept."""

    # The user link and the prefix stay on each model: their related names and prefix
    # lengths differ, and keeping them there leaves both tables exactly as migrated.
    key_hash = models.CharField(_("چکیده"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("زمان ابطال"), null=True, blank=True)

    class Meta:
        abstract = True
