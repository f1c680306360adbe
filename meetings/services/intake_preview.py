"""«خواندن متن» of the page: what ``meeting_from_text`` would log, without keeping anything.

The preview runs the very service (the same reading, host guess, new organisations and
people, checks and review list) inside a savepoint that is rolled back: the page shows the
meeting as it would be logged, and nothing is written until the person saves (a
cancelled or abandoned reading leaves no draft, organisation or person behind). The rows
are read back through the meeting page's own selector, prefetched, before the rollback, so
showing them runs no query (and cannot reach for a row that no longer exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ..models import Meeting
from ..selectors import meeting_get_for_user
from .intake import meeting_from_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class FromTextPreview:
    """The meeting a reading would log (unsaved: its ids lead nowhere) and its rows."""

    meeting: Meeting
    attendances: list[Any]
    statements: list[Any]
    decisions: list[Any]
    action_items: list[Any]
    participants: list[Any]
    review: list[dict[str, Any]]


def meeting_from_text_preview(*, actor: User, **kwargs: Any) -> FromTextPreview:
    """What ``meeting_from_text(actor=actor, **kwargs)`` would log; raises what it raises."""
    with transaction.atomic():
        meeting, review = meeting_from_text(actor=actor, **kwargs)
        shown = meeting_get_for_user(user=actor, pk=meeting.pk)
        preview = FromTextPreview(
            meeting=shown,
            attendances=list(shown.attendances.all()),
            statements=list(shown.statements.all()),
            decisions=list(shown.decisions.all()),
            action_items=list(shown.action_items.all()),
            participants=list(shown.participants.all()),
            review=review,
        )
        # Roll the savepoint back: the reading is shown, not kept (nor are its on-commit
        # side effects run: Django drops those of a rolled-back savepoint).
        transaction.set_rollback(True)
    return preview
