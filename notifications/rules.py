"""Which reminders a target should have: the rules (defaults here, overrides in the admin)
and one planner per target type.

A planner is a pure function of the target, the rules and the clock: it returns every
reminder the target should have now. ``services.reminders_refresh`` compares that with
the stored rows; the sweep asks again just before delivering, so a reminder whose target
moved, was cancelled or lost its recipient is never sent for the old time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, TypeVar

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils.module_loading import import_string

from organizations.choices import Role
from organizations.models import Membership, Organization
from tracker.jalali import TEHRAN

from .choices import RuleCode
from .models import ReminderRule


@dataclass(frozen=True)
class RuleConfig:
    """The effective settings of one rule."""

    code: str
    is_active: bool = True
    # Hours before a meeting; days before a due date, a review deadline or an expiry.
    offsets: tuple[int, ...] = ()
    escalate_after_days: int | None = None
    state_limits: Mapping[str, int] = field(default_factory=dict)
    send_hour: int = 9


DEFAULT_RULES: dict[str, RuleConfig] = {
    RuleCode.MEETING_UPCOMING: RuleConfig(RuleCode.MEETING_UPCOMING, offsets=(24, 1)),
    # «زمان جلسه تغییر کرد» to whoever was already reminded of the old time; sent at once
    # by the meetings services when the meeting moves (no offsets).
    RuleCode.MEETING_RESCHEDULED: RuleConfig(RuleCode.MEETING_RESCHEDULED),
    RuleCode.ACTION_ITEM_DUE: RuleConfig(RuleCode.ACTION_ITEM_DUE, offsets=(3, 0)),
    RuleCode.ACTION_ITEM_OVERDUE: RuleConfig(RuleCode.ACTION_ITEM_OVERDUE, escalate_after_days=7),
    RuleCode.AGREEMENT_STAGE_LIMIT: RuleConfig(
        RuleCode.AGREEMENT_STAGE_LIMIT,
        escalate_after_days=7,
        state_limits={"internal_review": 7, "legal_review": 14, "negotiation": 30},
    ),
    RuleCode.AGREEMENT_REVIEW_DEADLINE: RuleConfig(
        RuleCode.AGREEMENT_REVIEW_DEADLINE, offsets=(3, 0)
    ),
    RuleCode.AGREEMENT_EXPIRY: RuleConfig(RuleCode.AGREEMENT_EXPIRY, offsets=(60, 30, 7)),
    RuleCode.COMMITMENT_DUE: RuleConfig(RuleCode.COMMITMENT_DUE, offsets=(7, 1, 0)),
    RuleCode.COMMITMENT_OVERDUE: RuleConfig(RuleCode.COMMITMENT_OVERDUE, escalate_after_days=7),
    # Sent at once when work lands on someone (a review, an approval, a signature, a
    # commitment); no offsets.
    RuleCode.WORK_ASSIGNED: RuleConfig(RuleCode.WORK_ASSIGNED),
    RuleCode.CUSTOM: RuleConfig(RuleCode.CUSTOM, offsets=(1,)),
}

#: Rules whose reminders of one recipient, made due in one sweep, go out as one message
#: (the daily overdue digest); other rules batch only for users who chose digest mode.
ALWAYS_BATCHED_RULES = frozenset({RuleCode.ACTION_ITEM_OVERDUE, RuleCode.COMMITMENT_OVERDUE})


def rule_configs() -> dict[str, RuleConfig]:
    """Defaults overlaid with the admin's rows (one query)."""
    configs = dict(DEFAULT_RULES)
    for row in ReminderRule.objects.all():
        base = configs.get(row.code, RuleConfig(row.code))
        configs[row.code] = replace(
            base,
            is_active=row.is_active,
            offsets=tuple(int(o) for o in row.offsets) if row.offsets else base.offsets,
            escalate_after_days=row.escalate_after_days
            if row.escalate_after_days is not None
            else base.escalate_after_days,
            state_limits={k: int(v) for k, v in row.state_limits.items()}
            if row.state_limits
            else base.state_limits,
            send_hour=row.send_hour,
        )
    return configs


@dataclass(frozen=True)
class Planned:
    """A reminder a target should have."""

    rule: str
    kind: str
    recipient_id: int
    due_at: datetime
    anchor_at: datetime
    title: str
    body: str = ""
    url: str = ""
    expires_at: datetime | None = None
    digestible: bool = True

    @property
    def key(self) -> tuple[str, str, int, datetime]:
        return (self.rule, self.kind, self.recipient_id, self.anchor_at)


class Planner(Protocol):
    """Plans the reminders of one target type (``model_label`` is ``app_label.modelname``)."""

    model_label: str

    def plan(
        self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime
    ) -> list[Planned]: ...


# --- time helpers -----------------------------------------------------------------------


def tehran_at(day: date, hour: int = 0) -> datetime:
    """``hour`` o'clock of ``day`` in Asia/Tehran, aware."""
    return datetime.combine(day, time(hour), tzinfo=TEHRAN)


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Asia/Tehran: when a due date becomes overdue."""
    return tehran_at(day + timedelta(days=1))


def daily_slots(
    first_day: date, hour: int, *, now: datetime, until: date | None = None
) -> list[date]:
    """Days from ``first_day`` whose ``hour`` falls within a day either side of ``now``.

    Recurring reminders are planned one or two at a time; the sweep re-plans the target
    after each dispatch, so the next day's row appears as the previous one goes out.
    """
    today = now.astimezone(TEHRAN).date()
    days = []
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        if day < first_day or (until is not None and day > until):
            continue
        at = tehran_at(day, hour)
        if now - timedelta(days=1) <= at <= now + timedelta(days=1):
            days.append(day)
    return days


Offset = TypeVar("Offset", int, date)


def per_offset(
    offsets: Iterable[Offset],
    recipient_ids: Iterable[int],
    reminder: Callable[[Offset, int], Planned],
) -> list[Planned]:
    """The reminders of a rule sent at several offsets (hours or days ahead, or overdue
    days): ``reminder(offset, recipient_id)`` for each offset, then each recipient, in the
    order given (the order the reminders are created in)."""
    recipients = list(recipient_ids)
    return [reminder(offset, user_id) for offset in offsets for user_id in recipients]


# --- recipients ---------------------------------------------------------------------------


def _ancestor_ids(organization_id: int) -> list[int]:
    ids: list[int] = []
    current: int | None = organization_id
    while current is not None and current not in ids:
        ids.append(current)
        current = (
            Organization.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        )
    return ids


def managers_of(organization_id: int | None) -> list[int]:
    """User ids holding manager or admin in the organisation or an organisation above it."""
    if organization_id is None:
        return []
    return sorted(
        set(
            Membership.objects.filter(
                organization_id__in=_ancestor_ids(organization_id),
                role__in=(Role.MANAGER, Role.ADMIN),
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    )


def staff_of(organization_id: int | None) -> list[int]:
    """User ids holding exactly staff in the organisation (managers are the next step)."""
    if organization_id is None:
        return []
    return sorted(
        set(
            Membership.objects.filter(
                organization_id=organization_id, role=Role.STAFF, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )


# --- registry -------------------------------------------------------------------------------

BUILTIN_PLANNERS = (
    "notifications.planners.MeetingPlanner",
    "notifications.planners.ActionItemPlanner",
    "notifications.planners.AgreementPlanner",
)


#: Planners of higher apps, registered in their ``AppConfig.ready()`` (this app imports
#: nothing of theirs): the commitments app registers its occurrences' and commitments'.
_REGISTERED: dict[str, Planner] = {}


def register_planner(planner: Planner) -> None:
    """Add (or replace) the planner of ``planner.model_label``."""
    _REGISTERED[planner.model_label] = planner


def planners() -> dict[str, Planner]:
    """Planners by model label: the built-in ones whose app models exist, the registered
    ones, then ``settings.NOTIFICATIONS_EXTRA_PLANNERS`` (dotted paths; tests and the
    benchmark)."""
    found: dict[str, Planner] = {}
    for dotted in BUILTIN_PLANNERS:
        _add_planner(found, import_string(dotted)())
    for planner in _REGISTERED.values():
        _add_planner(found, planner)
    extra: Iterable[str] = getattr(settings, "NOTIFICATIONS_EXTRA_PLANNERS", ())
    for dotted in extra:
        _add_planner(found, import_string(dotted)())
    return found


def _add_planner(found: dict[str, Planner], planner: Planner) -> None:
    app_label, _, model_name = planner.model_label.partition(".")
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return
    found[planner.model_label] = planner


def planner_for(target: Model) -> Planner | None:
    return planners().get(target._meta.label_lower)
