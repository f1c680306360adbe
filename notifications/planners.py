"""The built-in planners: meetings, action items and agreements.

Each returns every reminder its target should have now (see ``rules.Planner``). They read
the other apps' models by attribute only and are registered by model label, so this app
does not import the meetings or agreements apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.urls import NoReverseMatch

from tracker.jalali import format_date, format_datetime
from tracker.text import to_persian_digits as fa

from .choices import RuleCode
from .rules import (
    Planned,
    RuleConfig,
    daily_slots,
    end_of_day,
    managers_of,
    staff_of,
    tehran_at,
)

#: Meeting statuses and attendance statuses by value (the meetings app owns the choices).
MEETING_PLANNED = "planned"
ATTENDANCE_ABSENT = "absent"
ACTION_OPEN = "open"
#: Agreement statuses in which a review deadline still matters, and in which expiry does.
REVIEWING = frozenset({"draft", "internal_review", "legal_review", "negotiation"})
RUNNING = frozenset({"signed", "in_force"})


Offset = TypeVar("Offset", int, date)


def _per_offset(
    offsets: Iterable[Offset],
    recipient_ids: Iterable[int],
    reminder: Callable[[Offset, int], Planned],
) -> list[Planned]:
    """The reminders of a rule sent at several offsets (hours or days ahead, or overdue
    days): ``reminder(offset, recipient_id)`` for each offset, then each recipient, in the
    order given (the order the reminders are created in)."""
    recipients = list(recipient_ids)
    return [reminder(offset, user_id) for offset in offsets for user_id in recipients]


def _url(target: Any, fallback: str) -> str:
    try:
        return str(target.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        return fallback


class MeetingPlanner:
    """24 h and 1 h before the start (hours from the rule) to attendees with accounts."""

    model_label = "meetings.meeting"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        cfg = rules[RuleCode.MEETING_UPCOMING]
        if not cfg.is_active or target.status != MEETING_PLANNED or target.start is None:
            return []
        # A meeting read from a report stays with its host until a person confirms it
        # (meetings.services.meeting_confirm refreshes its reminders then).
        if getattr(target, "needs_review", False):
            return []
        # Invited people (and, while the meeting is only planned, people already marked
        # present) with a login; someone marked absent is not reminded.
        user_ids = sorted(
            set(
                target.attendances.exclude(status=ATTENDANCE_ABSENT)
                .filter(person__user__isnull=False, person__user__is_active=True)
                .values_list("person__user_id", flat=True)
            )
        )
        start: datetime = target.start
        where = f"، محل: {target.location}" if target.location else ""
        body = f"جلسه «{target.title}» {format_datetime(start, 'weekday')} برگزار می‌شود{where}."
        url = _url(target, f"/meetings/{target.pk}/")

        def upcoming(hours: int, user_id: int) -> Planned:
            label = "فردا" if hours >= 24 else f"{fa(hours)} ساعت دیگر"
            return Planned(
                rule=RuleCode.MEETING_UPCOMING,
                kind=f"before:{hours}h",
                recipient_id=user_id,
                due_at=start - timedelta(hours=hours),
                anchor_at=start,
                expires_at=start,
                digestible=False,
                title=f"یادآوری جلسه ({label}): {target.title}",
                body=body,
                url=url,
            )

        return _per_offset(cfg.offsets, user_ids, upcoming)


class ActionItemPlanner:
    """Before the due date, on it, a daily overdue digest, then the managers."""

    model_label = "meetings.actionitem"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        if target.status != ACTION_OPEN or target.due_date is None:
            return []
        if getattr(target.meeting, "needs_review", False):  # see MeetingPlanner
            return []
        due_cfg = rules[RuleCode.ACTION_ITEM_DUE]
        overdue_cfg = rules[RuleCode.ACTION_ITEM_OVERDUE]
        person = target.owner_person
        owner_org_id = target.owner_organization_id or (person.organization_id if person else None)
        owners = (
            [person.user_id] if person is not None and person.user_id else staff_of(owner_org_id)
        )
        # Overdue from the end of the due date in Asia/Tehran: the anchor of every reminder,
        # so moving the due date replaces them all.
        anchor = end_of_day(target.due_date)
        short = target.description[:80]
        due_text = format_date(target.due_date, "long")
        url = _url(target, "/meetings/action-items/")

        def due(days: int, user_id: int) -> Planned:
            when = "امروز" if days == 0 else f"{fa(days)} روز دیگر"
            return Planned(
                rule=RuleCode.ACTION_ITEM_DUE,
                kind=f"due:{days}d",
                recipient_id=user_id,
                due_at=tehran_at(target.due_date - timedelta(days=days), due_cfg.send_hour),
                anchor_at=anchor,
                expires_at=anchor,
                title=f"مهلت اقدام {when}: {short}",
                body=f"مهلت انجام «{target.description}» {due_text} است.",
                url=url,
            )

        def overdue(day: date, user_id: int) -> Planned:
            late = (day - target.due_date).days
            return Planned(
                rule=RuleCode.ACTION_ITEM_OVERDUE,
                kind=f"overdue:{day.isoformat()}",
                recipient_id=user_id,
                due_at=tehran_at(day, overdue_cfg.send_hour),
                anchor_at=anchor,
                title=f"اقدام معوق ({fa(late)} روز): {short}",
                body=f"مهلت «{target.description}» {due_text} بود و هنوز انجام نشده است.",
                url=url,
            )

        planned: list[Planned] = []
        if due_cfg.is_active:
            planned += _per_offset(due_cfg.offsets, owners, due)
        if overdue_cfg.is_active:
            first = target.due_date + timedelta(days=1)
            planned += _per_offset(
                daily_slots(first, overdue_cfg.send_hour, now=now), owners, overdue
            )
            if overdue_cfg.escalate_after_days:
                days = overdue_cfg.escalate_after_days
                for user_id in managers_of(owner_org_id):
                    planned.append(
                        Planned(
                            rule=RuleCode.ACTION_ITEM_OVERDUE,
                            kind=f"escalation:{days}d",
                            recipient_id=user_id,
                            due_at=tehran_at(
                                target.due_date + timedelta(days=days), overdue_cfg.send_hour
                            ),
                            anchor_at=anchor,
                            digestible=False,
                            title=f"ارجاع به مدیر: اقدام {fa(days)} روز معوق: {short}",
                            body=(
                                f"مهلت «{target.description}» {due_text} بود "
                                f"و پس از {fa(days)} روز "
                                "هنوز انجام نشده است."
                            ),
                            url=url,
                        )
                    )
        return planned


class AgreementPlanner:
    """Time limits per workflow state (staff, then managers), review deadline, expiry."""

    model_label = "agreements.agreement"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        org_id = target.owning_organization_id
        staff = staff_of(org_id)
        managers = managers_of(org_id)
        responsible = staff or managers
        url = _url(target, f"/agreements/{target.pk}/")
        name = f"{target.reference_number} – {target.title}"
        planned: list[Planned] = []

        stage = rules[RuleCode.AGREEMENT_STAGE_LIMIT]
        limit = stage.state_limits.get(target.status)
        if stage.is_active and limit and target.status_changed_at is not None:
            entered: datetime = target.status_changed_at
            state_label = target.get_status_display()
            due = entered + timedelta(days=limit)
            for user_id in responsible:
                planned.append(
                    Planned(
                        rule=RuleCode.AGREEMENT_STAGE_LIMIT,
                        kind=f"stage:{target.status}",
                        recipient_id=user_id,
                        due_at=due,
                        anchor_at=entered,
                        title=f"مهلت مرحله «{state_label}» گذشته است: {name}",
                        body=(
                            f"این تفاهم‌نامه بیش از {fa(limit)} روز "
                            f"در مرحله «{state_label}» مانده است."
                        ),
                        url=url,
                    )
                )
            if stage.escalate_after_days:
                days = limit + stage.escalate_after_days
                for user_id in managers:
                    planned.append(
                        Planned(
                            rule=RuleCode.AGREEMENT_STAGE_LIMIT,
                            kind=f"stage:{target.status}:escalation",
                            recipient_id=user_id,
                            due_at=entered + timedelta(days=days),
                            anchor_at=entered,
                            digestible=False,
                            title=f"ارجاع به مدیر: {fa(days)} روز در مرحله «{state_label}»: {name}",
                            body=(
                                f"این تفاهم‌نامه {fa(days)} روز است "
                                f"که در مرحله «{state_label}» مانده است."
                            ),
                            url=url,
                        )
                    )

        review = rules[RuleCode.AGREEMENT_REVIEW_DEADLINE]
        if review.is_active and target.review_deadline and target.status in REVIEWING:
            anchor = end_of_day(target.review_deadline)
            deadline = format_date(target.review_deadline, "long")

            def before_review(days: int, user_id: int) -> Planned:
                when = "امروز" if days == 0 else f"{fa(days)} روز دیگر"
                return Planned(
                    rule=RuleCode.AGREEMENT_REVIEW_DEADLINE,
                    kind=f"review:{days}d",
                    recipient_id=user_id,
                    due_at=tehran_at(
                        target.review_deadline - timedelta(days=days), review.send_hour
                    ),
                    anchor_at=anchor,
                    expires_at=anchor,
                    title=f"مهلت بررسی {when}: {name}",
                    body=f"مهلت بررسی این تفاهم‌نامه {deadline} است.",
                    url=url,
                )

            planned += _per_offset(review.offsets, responsible, before_review)

        expiry = rules[RuleCode.AGREEMENT_EXPIRY]
        if expiry.is_active and target.expiry_date and target.status in RUNNING:
            anchor = end_of_day(target.expiry_date)
            ends = format_date(target.expiry_date, "long")

            def before_expiry(days: int, user_id: int) -> Planned:
                return Planned(
                    rule=RuleCode.AGREEMENT_EXPIRY,
                    kind=f"expiry:{days}d",
                    recipient_id=user_id,
                    due_at=tehran_at(target.expiry_date - timedelta(days=days), expiry.send_hour),
                    anchor_at=anchor,
                    expires_at=anchor,
                    title=f"پایان اعتبار تا {fa(days)} روز دیگر: {name}",
                    body=f"اعتبار این تفاهم‌نامه {ends} به پایان می‌رسد.",
                    url=url,
                )

            everyone = sorted(set(staff) | set(managers))
            planned += _per_offset(expiry.offsets, everyone, before_expiry)
        return planned
