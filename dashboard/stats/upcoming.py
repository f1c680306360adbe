"""Everything due in the next days, in one list sorted by date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from agreements.choices import AgreementStatus
from meetings.choices import ActionItemStatus, MeetingStatus
from notifications.choices import RuleCode
from notifications.rules import rule_configs
from tracker.jalali import TEHRAN, jalali_string

from .common import (
    LIVE_STATUSES,
    StatsFilters,
    action_items_for,
    agreements_for,
    envelope,
    meetings_for,
    today,
)
from .links import page_url


def _state_limits() -> dict[str, int]:
    """Days allowed in each workflow state, from the reminder rules (admin-editable)."""
    config = rule_configs().get(RuleCode.AGREEMENT_STAGE_LIMIT)
    if config is None or not config.is_active:
        return {}
    return dict(config.state_limits)


def _deadline(
    kind: str, label: str, when: date | datetime, title: str, url: str, org: str, obj_id: int
) -> dict[str, Any]:
    day = timezone.localtime(when, TEHRAN).date() if isinstance(when, datetime) else when
    return {
        "kind": kind,
        "kind_label": label,
        "id": obj_id,
        "date": day.isoformat(),
        "date_jalali": jalali_string(day),
        "at": timezone.localtime(when, TEHRAN).isoformat() if isinstance(when, datetime) else None,
        "title": title,
        "organization_name": org,
        "url": url,
    }


def upcoming_deadlines(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Everything due in the next ``days`` days, in one list sorted by date.

    Planned meetings, open action items, workflow states whose time limit runs out, review
    deadlines and expiries of signed or in-force agreements. Five bounded queries (plus
    the rules' one), each capped at ``limit`` rows before the merge.
    """
    start = today()
    end = start + timedelta(days=filters.days)
    limit = filters.limit
    start_at = datetime.combine(start, time.min, tzinfo=TEHRAN)
    end_at = datetime.combine(end + timedelta(days=1), time.min, tzinfo=TEHRAN)
    # Rows are gathered as (sort key, how to build the item) and only the first ``limit``
    # after the merge are built (Jalali date, link): up to five times ``limit`` are read.
    items: list[tuple[tuple[str, str, str, int], tuple[Any, ...]]] = []

    def add(kind: str, label: str, when: Any, title: str, url: Any, org: str, pk: int) -> None:
        day = timezone.localtime(when, TEHRAN).date() if isinstance(when, datetime) else when
        at = when.isoformat() if isinstance(when, datetime) else ""
        items.append(((day.isoformat(), at, kind, pk), (kind, label, when, title, url, org, pk)))

    meetings = (
        meetings_for(user, filters)
        .filter(status=MeetingStatus.PLANNED, start__gte=timezone.now(), start__lt=end_at)
        .order_by("start", "id")
        .values_list("id", "title", "start", "host__name")[:limit]
    )
    for pk, title, at, host in meetings:
        add("meeting", "جلسه", at, title, ("meetings:meeting_detail", pk, ""), host, pk)
    actions = (
        action_items_for(user, filters)
        .filter(status=ActionItemStatus.OPEN, due_date__gte=start, due_date__lte=end)
        .order_by("due_date", "id")
        .values_list("id", "description", "due_date", "owner_organization__name", "meeting_id")[
            :limit
        ]
    )
    for pk, text, due, org, meeting_id in actions:
        url = ("meetings:meeting_detail", meeting_id, f"#action-{pk}")
        add("action_item", "مهلت اقدام", due, text[:200], url, org or "", pk)
    agreements = agreements_for(user, filters)
    limits = _state_limits()
    if limits:
        state_q = Q(pk__in=[])
        for status, days in limits.items():
            state_q |= Q(
                status=status,
                status_changed_at__gte=start_at - timedelta(days=days),
                status_changed_at__lt=end_at - timedelta(days=days),
            )
        for pk, title, status, changed, org in (
            agreements.filter(state_q)
            .order_by("status_changed_at", "id")
            .values_list("id", "title", "status", "status_changed_at", "owning_organization__name")[
                :limit
            ]
        ):
            label = f"پایان مهلت «{AgreementStatus(status).label}»"
            url = ("agreements:agreement_detail", pk, "")
            add("state_limit", label, changed + timedelta(days=limits[status]), title, url, org, pk)
    for kind, label, field_name, extra in (
        ("review_deadline", "مهلت بررسی تفاهم‌نامه", "review_deadline", Q()),
        ("expiry", "انقضای تفاهم‌نامه", "expiry_date", Q(status__in=LIVE_STATUSES)),
    ):
        rows = (
            agreements.filter(extra, **{f"{field_name}__gte": start, f"{field_name}__lte": end})
            .order_by(field_name, "id")
            .values_list("id", "title", field_name, "owning_organization__name")[:limit]
        )
        for pk, title, day, org in rows:
            add(kind, label, day, title, ("agreements:agreement_detail", pk, ""), org, pk)
    items.sort(key=lambda item: item[0])
    results = [
        _deadline(kind, label, when, title, page_url(name, url_pk) + anchor, org, pk)
        for _, (kind, label, when, title, (name, url_pk, anchor), org, pk) in items[:limit]
    ]
    return envelope(
        filters,
        days=filters.days,
        start=start.isoformat(),
        end=end.isoformat(),
        start_jalali=jalali_string(start),
        end_jalali=jalali_string(end),
        count=len(results),
        truncated=len(items) > limit,
        results=results,
    )
