"""Reads of reminders and deliveries."""

from __future__ import annotations

from typing import Any


def inbox_unread_count_for_user(*, user: Any) -> int:
    """Number of unread in-app messages of the user (0 until the inbox exists)."""
    return 0
