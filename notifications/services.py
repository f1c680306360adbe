"""Writes of reminders and deliveries."""

from __future__ import annotations

from django.db.models import Model


def reminders_refresh(*, target: Model) -> None:
    """Re-plan the pending reminders of ``target`` (a meeting, an action item, an agreement).

    Called by the meetings and agreements services inside their transaction whenever a
    time, an owner, a participant or a status that reminders depend on changes.
    """
    return
