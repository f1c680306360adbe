"""Reads of the dashboard app that are not aggregates: the home page, the user's own API
tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from agreements import selectors as agreement_selectors
from meetings import selectors as meeting_selectors
from organizations.models import ApiToken, Membership
from organizations.scoping import org_scope_for_user
from organizations.selectors import person_name_for_user

from .awaiting import awaiting_action_for_user


def home_for_user(*, user: Any) -> dict[str, Any]:
    """What the home page shows: the user's memberships, whether they see everything, and
    one section per app (the meetings ahead and overdue items, then the agreements), each
    built by that app's own ``home_summary_for_user``."""
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return {
        "greeting_name": person_name_for_user(user),
        "memberships": list(memberships.order_by("organization__name")),
        "sees_everything": org_scope_for_user(user).everything,
        "sections": [
            awaiting_action_for_user(user=user),
            meeting_selectors.home_summary_for_user(user=user),
            agreement_selectors.home_summary_for_user(user=user),
        ],
    }


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
