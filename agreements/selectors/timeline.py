"""The agreement timeline: its status changes, versions and approvals, and the rows that
other apps link to it (the meetings that discussed it, the action items that point at it).

Agreements sit below meetings in the layers (design.md), so they do not import meetings:
the meetings app registers a provider with :func:`register_timeline_rows` in
``MeetingsConfig.ready()``, a typed function that returns :class:`TimelineRow` objects
already limited to what the user may see. Without it (meetings not installed) the timeline
shows the agreement's own events only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from django.utils import timezone

from organizations.selectors import user_display_name
from tracker.text import to_persian_digits

from ..choices import AgreementStatus
from ..models import Agreement
from .history import agreement_status_changes
from .versions import agreement_approvals, agreement_versions


@dataclass(frozen=True)
class TimelineRow:
    """One event another app adds to an agreement's timeline."""

    at: date | datetime
    kind: str
    title: str
    url: str = ""
    who: str = ""
    note: str = ""


class TimelineRowsProvider(Protocol):
    """The rows of one app for ``agreement``, only those ``user`` may see."""

    def __call__(self, *, user: Any, agreement: Agreement) -> Iterable[TimelineRow]: ...


_PROVIDERS: dict[str, TimelineRowsProvider] = {}


def register_timeline_rows(*, name: str, provider: TimelineRowsProvider) -> None:
    """Add the provider ``name`` to every timeline; registering a name again replaces it, so
    a second ``ready()`` (tests, reloads) does not show its rows twice."""
    _PROVIDERS[name] = provider


def _as_event(row: TimelineRow) -> dict[str, Any]:
    return {
        "at": row.at,
        "kind": row.kind,
        "title": row.title,
        "who": row.who,
        "note": row.note,
        "url": row.url,
    }


def agreement_timeline(*, user: Any, agreement: Agreement) -> list[dict[str, Any]]:
    """One list of status changes, versions, approvals and the registered providers' rows
    (meetings and action items), newest first; each event has ``at`` (date or datetime),
    ``kind``, ``title``, ``who``, ``note``, ``url``.
    What a party-only viewer sees of the internal phase is cut as in
    :func:`agreement_party_window` (status changes and versions from negotiation on)."""
    events: list[dict[str, Any]] = []
    for change in agreement_status_changes(user=user, agreement=agreement):
        from_label = AgreementStatus(change.from_status).label if change.from_status else ""
        title = (
            f"{from_label} ← {change.get_to_status_display()}"
            if from_label
            else f"ایجاد در وضعیت {change.get_to_status_display()}"
        )
        events.append(
            {
                "at": change.at,
                "kind": "status",
                "title": title,
                "who": change.actor_label,
                "note": change.reason,
                "url": "",
            }
        )
    for version in agreement_versions(user=user, agreement=agreement):
        events.append(
            {
                "at": version.created_at,
                "kind": "version",
                "title": f"نسخه {to_persian_digits(str(version.number))} متن",
                "who": user_display_name(version.author) if version.author else "سامانه",
                "note": version.change_note,
                "url": "",
            }
        )
    for approval in agreement_approvals(user=user, agreement=agreement):
        events.append(
            {
                "at": approval.approved_at,
                "kind": "approval",
                "title": (
                    f"تأیید نسخه {to_persian_digits(str(approval.version.number))} "
                    f"توسط {approval.party.organization.name}"
                ),
                "who": user_display_name(approval.approved_by),
                "note": approval.note,
                "url": "",
            }
        )
    for provider in _PROVIDERS.values():
        events.extend(_as_event(row) for row in provider(user=user, agreement=agreement))

    def sort_key(event: dict[str, Any]) -> datetime:
        at = event["at"]
        if at is None:
            return datetime.min.replace(tzinfo=timezone.get_current_timezone())
        if isinstance(at, datetime):
            return at
        return datetime.combine(at, datetime.min.time(), tzinfo=timezone.get_current_timezone())

    events.sort(key=sort_key, reverse=True)
    return events
