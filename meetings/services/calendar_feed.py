"""The secret address of a user's personal calendar feed: create (shown once) and revoke.
Only the digest of ``tracker.hashing`` is stored, as for API tokens.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from tracker.hashing import secret_hash

from ..models import CalendarFeedToken

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def calendar_feed_token_create(*, actor: User) -> tuple[CalendarFeedToken, str]:
    """A new secret feed address for ``actor``; the previous one stops working.
    Returns the row and the key, which is shown once."""
    calendar_feed_token_revoke(actor=actor)
    key = secrets.token_urlsafe(32)
    token = CalendarFeedToken.objects.create(user=actor, key_hash=secret_hash(key), prefix=key[:8])
    return token, key


@transaction.atomic
def calendar_feed_token_revoke(*, actor: User) -> int:
    """Revoke the actor's live feed address (its URL then answers 404)."""
    return CalendarFeedToken.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
