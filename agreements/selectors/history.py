"""The status history and the field history of an agreement, as a user may see them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tracker.jalali import to_tehran

from ..models import Agreement, AgreementStatusChange
from .visibility import agreement_party_window


def agreement_status_changes(*, user: Any, agreement: Agreement) -> QuerySet[AgreementStatusChange]:
    """The status history the user may see, oldest first: a party-only viewer sees it from
    the first entry into negotiation on (internal and legal review reasons stay inside)."""
    qs = AgreementStatusChange.objects.filter(agreement=agreement).select_related("actor")
    window = agreement_party_window(user=user, agreement=agreement)
    if window is None:
        return qs
    since = window.since
    if since is None:
        return qs.none()
    return qs.filter(Q(at__gt=since.at) | Q(at=since.at, pk__gte=since.pk))


def agreement_field_history(*, user: Any, agreement: Agreement) -> list[dict[str, Any]]:
    """Every recorded change of the agreement's fields the user may see, oldest first: who,
    when, what. Status moves are not here (they are :func:`agreement_status_changes`).

    A party-only viewer sees the edits saved after the first entry into negotiation: those
    whose ``lock_version`` is above the one the move recorded (every write bumps it, so it
    orders moves and edits however their times were given). Their old values are the ones
    the parties were shown when negotiation began. Rows that change no shown field and give
    no reason (written by status moves before moves stopped writing history) are left out;
    a party change has no field but its reason.
    """
    records = list(
        agreement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    window = agreement_party_window(user=user, agreement=agreement)
    after: int | None = None
    if window is not None:
        if window.since is None:
            return []
        after = window.since.lock_version
    labels = {f.name: str(f.verbose_name) for f in Agreement._meta.fields}
    changes: list[dict[str, Any]] = []
    previous = None
    for record in records:
        shown = after is None or record.lock_version > after
        fields: list[dict[str, Any]] = []
        if previous is not None:
            delta = record.diff_against(previous)
            fields = [
                {
                    "field": c.field,
                    "label": labels.get(c.field, c.field),
                    "old": _plain(c.old),
                    "new": _plain(c.new),
                }
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS
            ]
        previous = record
        if not shown or (
            record.history_type == "~" and not fields and not record.history_change_reason
        ):
            continue
        changes.append(
            {
                "at": record.history_date,
                "user": str(record.history_user) if record.history_user else "سامانه",
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "fields": fields,
                # What a change of no field was about (a party added, changed, removed).
                "reason": record.history_change_reason or "",
            }
        )
    return changes


#: Bookkeeping columns of the history rows, never shown as a change.
HIDDEN_FIELDS = frozenset({"updated_at", "lock_version"})


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, datetime):
        # Tehran time, like every other time the API gives (history rows hold UTC).
        return to_tehran(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
