"""The built-in planners: meetings, action items and agreements.

Each returns every reminder its target should have now (see ``rules.Planner``). They read
the other apps' models by attribute only and are registered by model label, so this app
does not import the meetings or agreements apps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.urls import NoReverseMatch

from tracker.jalali import format_date, format_datetime
from tracker.text import to_persian_digits as fa

from .choices import RuleCode
from .due_dates import DueDateTexts, due_date_reminders
from .meeting_moves import moved_notices
from .rules import (
    Planned,
    RuleConfig,
    end_of_day,
    managers_of,
    per_offset,
    staff_of,
    tehran_at,
)

#: Meeting statuses and attendance statuses by value (the meetings app owns the choices).
MEETING_PLANNED = "planned"
ATTENDANCE_ABSENT = "absent"
ACTION_OPEN = "open"
#: A participant organisation's answer that takes the meeting out of its reminders.
INVITATION_DECLINED = "declined"
#: Agreement statuses in which a review deadline still matters, and in which expiry does.
REVIEWING = frozenset({"draft", "internal_review", "legal_review", "negotiation"})
RUNNING = frozenset({"signed", "in_force"})


def _url(target: Any, fallback: str) -> str:
    try:
        return str(target.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        return fallback


def _declined_by(meeting: Any) -> Any:
    """The organisations that declined ``meeting``'s invitation (a subquery of ids, read
    through the meeting's related rows so that this app does not import meetings)."""
    return meeting.participant_responses.filter(response=INVITATION_DECLINED).values(
        "organization_id"
    )


class MeetingPlanner:
    """24 h and 1 h before the start (hours from the rule) to attendees with accounts, and
    «زمان جلسه تغییر کرد» to those already reminded of another time (``meeting_moves``)."""

    model_label = "meetings.meeting"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        cfg = rules[RuleCode.MEETING_UPCOMING]
        moved = rules[RuleCode.MEETING_RESCHEDULED]
        if target.status != MEETING_PLANNED or target.start is None:
            return []
        if not cfg.is_active and not moved.is_active:
            return []
        # A meeting read from a report stays with its host until a person confirms it
        # (meetings.services.meeting_confirm refreshes its reminders then).
        if getattr(target, "needs_review", False):
            return []
        # Invited people (and, while the meeting is only planned, people already marked
        # present) with a login; someone marked absent is not reminded, nor anyone attending
        # for an organisation that declined the invitation.
        user_ids = sorted(
            set(
                target.attendances.exclude(status=ATTENDANCE_ABSENT)
                .exclude(organization_id__in=_declined_by(target))
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

        planned = per_offset(cfg.offsets, user_ids, upcoming) if cfg.is_active else []
        if moved.is_active:
            # Whoever was already reminded of another time is told of the move.
            planned += moved_notices(target, user_ids=user_ids, url=url, now=now)
        return planned


class ActionItemPlanner:
    """Before the due date, on it, a daily overdue digest, then the managers."""

    model_label = "meetings.actionitem"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        if target.status != ACTION_OPEN or target.due_date is None:
            return []
        if getattr(target.meeting, "needs_review", False):  # see MeetingPlanner
            return []
        person = target.owner_person
        owner_org_id = target.owner_organization_id or (person.organization_id if person else None)
        # An owner whose organisation declined the meeting still owes the item: it keeps
        # its reminders (and its place in the owner's lists: meetings.selectors).
        owners = (
            [person.user_id] if person is not None and person.user_id else staff_of(owner_org_id)
        )
        short = target.description[:80]
        due_text = format_date(target.due_date, "long")

        def escalation(days: int) -> tuple[str, str]:
            return (
                f"ارجاع به مدیر: اقدام {fa(days)} روز معوق: {short}",
                f"مهلت «{target.description}» {due_text} بود و پس از {fa(days)} روز "
                "هنوز انجام نشده است.",
            )

        texts = DueDateTexts(
            due=lambda when: (
                f"مهلت اقدام {when}: {short}",
                f"مهلت انجام «{target.description}» {due_text} است.",
            ),
            overdue=lambda late: (
                f"اقدام معوق ({fa(late)} روز): {short}",
                f"مهلت «{target.description}» {due_text} بود و هنوز انجام نشده است.",
            ),
            escalation=escalation,
        )
        # Overdue from the end of the due date in Asia/Tehran: the anchor of every reminder,
        # so moving the due date replaces them all.
        return due_date_reminders(
            due_date=target.due_date,
            due_rule=rules[RuleCode.ACTION_ITEM_DUE],
            overdue_rule=rules[RuleCode.ACTION_ITEM_OVERDUE],
            owners=owners,
            managers=lambda: managers_of(owner_org_id),
            texts=texts,
            url=_url(target, "/meetings/action-items/"),
            now=now,
        )


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

            planned += per_offset(review.offsets, responsible, before_review)

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
            planned += per_offset(expiry.offsets, everyone, before_expiry)

        work = rules[RuleCode.WORK_ASSIGNED]
        if work.is_active:
            planned += _next_step(target, name=name, url=url, staff=staff, managers=managers)
        return planned


#: The next step of each state, on whom it lands (owner's staff and managers, or managers
#: only) and how it is announced; negotiation is per party (see ``_next_step``).
_NEXT_STEP = {
    "internal_review": ("staff", "بررسی داخلی به عهده شما"),
    "legal_review": ("managers", "بررسی حقوقی و ارسال برای مذاکره به عهده شما"),
    "approved": ("managers", "ثبت امضا به عهده شما"),
}


def _next_step(
    target: Any, *, name: str, url: str, staff: list[int], managers: list[int]
) -> list[Planned]:
    """«Work landed on you» notices of an agreement: due the moment its state (or, in
    negotiation, its current text) made the next step someone's, sent at once by the
    agreements services. The person who made the move is not told of it."""

    def notice(kind: str, user_id: int, at: datetime, title: str, body: str) -> Planned:
        return Planned(
            rule=RuleCode.WORK_ASSIGNED,
            kind=kind,
            recipient_id=user_id,
            due_at=at,
            anchor_at=at,
            digestible=False,
            title=f"{title}: {name}",
            body=body,
            url=url,
        )

    entered: datetime | None = target.status_changed_at
    if entered is None:
        return []
    mover = target.status_changes.order_by("-at", "-id").values_list("actor_id", flat=True).first()
    planned: list[Planned] = []
    if target.status in _NEXT_STEP:
        who, title = _NEXT_STEP[target.status]
        users = sorted(set(staff) | set(managers)) if who == "staff" else managers
        body = f"تفاهم‌نامه به مرحله «{target.get_status_display()}» رسید و اقدام بعدی با شماست."
        planned += [
            notice(f"next:{target.status}", u, entered, title, body) for u in users if u != mover
        ]
    elif target.status == "negotiation":
        current = target.versions.filter(is_current=True).only("id", "number", "created_at").first()
        if current is None:
            return []
        since = max(entered, current.created_at)
        approved = set(current.approvals.values_list("party_id", flat=True))
        parties = list(target.parties.select_related("organization"))
        waiting = [p for p in parties if p.pk not in approved]
        number = fa(current.number)
        for party in waiting:
            body = f"نسخه {number} متن این تفاهم‌نامه منتظر تأیید «{party.organization.name}» است."
            planned += [
                notice(f"approve:v{current.number}:p{party.pk}", u, since, "تأیید متن", body)
                for u in managers_of(party.organization_id)
                if u != mover
            ]
        if parties and not waiting:
            last = current.approvals.order_by("-approved_at").values_list("approved_at", flat=True)
            at = last.first() or since
            body = f"همه طرفین نسخه {number} را تأیید کرده‌اند؛ تأیید نهایی متن با شماست."
            planned += [
                notice(f"final:v{current.number}", u, at, "تأیید نهایی متن به عهده شما", body)
                for u in managers
            ]
    return planned
