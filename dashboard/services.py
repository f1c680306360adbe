"""Writes of the dashboard app: issuing API tokens through the organizations services."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from organizations import services as org_services
from organizations.models import ApiToken


@transaction.atomic
def api_token_issue(
    *,
    actor: User,
    name: str,
    read_only: bool = True,
    expires_at: datetime | None = None,
    via_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; returns the row and the key (shown once).

    When the request itself came with a token (``via_token``), the new token may not
    outlive it: a leaked token must not be able to mint a longer-lived one. (Read-only
    tokens never get here; the API permission refuses their writes.)
    """
    if via_token is not None and via_token.expires_at is not None:
        if expires_at is None:
            expires_at = via_token.expires_at
        elif expires_at > via_token.expires_at:
            raise ValidationError(
                {"expires_at": "توکن تازه نمی‌تواند دیرتر از توکنی که با آن ساخته می‌شود منقضی شود."}
            )
    return org_services.api_token_create(
        actor=actor, name=name, read_only=read_only, expires_at=expires_at
    )
