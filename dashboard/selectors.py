"""Reads of the dashboard app that are not aggregates: the user's own API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from organizations.models import ApiToken


def api_token_list_for_user(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first; nobody else's, superuser included.

    A token is a credential of one person: even a superuser neither lists nor revokes
    another user's tokens here (the admin is the place for that).
    """
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get_for_user(*, user: Any, pk: int) -> ApiToken:
    return api_token_list_for_user(user=user).get(pk=pk)
