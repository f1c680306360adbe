"""Reminder planners of commitments, registered with the notifications app in ``ready()``.

- :class:`OccurrencePlanner`: before an occurrence is due (days from the rule: 7, 1 and the
  day itself), a daily overdue digest from the day after, and after ``escalate_after_days``
  an escalation to the managers of the committed party and of the agreement's owner. The
  anchor is the end of the due date, so moving the due date replaces them all; a done or
  waived occurrence has none (the sweep drops what was pending).
- :class:`CommitmentPlanner`: «a commitment became yours», due when it was assigned and
  sent at once by the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from agreements.selectors import tehran_today
from notifications.choices import RuleCode
from notifications.due_dates import DueDateTexts, due_date_reminders
from notifications.rules import Planned, RuleConfig, managers_of, staff_of
from tracker.jalali import format_date
from tracker.text import to_persian_digits as fa

from .choices import UNFULFILLED

#: Occurrences due within this many days get their reminders planned; later ones are
#: planned by the daily task as they come near (a ten-year monthly commitment would
#: otherwise plan 120 × its reminders at once). Longer than the longest «before» offset.
PLAN_HORIZON_DAYS = 45
#: Agreements whose commitments no longer bind anyone.
_ENDED = frozenset({"withdrawn", "terminated"})


def responsible_users(commitment: Any) -> list[int]:
    """Who is told about a commitment: the responsible person's login, else the staff of
    the committed party, else its managers."""
    person = commitment.responsible
    if person is not None and person.user_id and person.user.is_active:
        return [person.user_id]
    org_id = commitment.party.organization_id
    return staff_of(org_id) or managers_of(org_id)


def _horizon_reached(day: date, now: datetime) -> bool:
    return day <= tehran_today(now) + timedelta(days=PLAN_HORIZON_DAYS)


class OccurrencePlanner:
    model_label = "commitments.commitmentoccurrence"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        commitment = target.commitment
        if (
            target.status not in UNFULFILLED
            or commitment.agreement.status in _ENDED
            or not _horizon_reached(target.due_date, now)
        ):
            return []
        title = commitment.title[:80]
        due_text = format_date(target.due_date, "long")
        agreement = commitment.agreement
        where = f"تفاهم‌نامه {agreement.reference_number}"
        named = f"تعهد «{commitment.title}» ({where})"

        def escalation(days: int) -> tuple[str, str]:
            return (
                f"ارجاع به مدیر: تعهد {fa(days)} روز معوق: {title}",
                f"مهلت {named} {due_text} بود و پس از {fa(days)} روز هنوز انجام نشده است.",
            )

        def managers() -> list[int]:
            # The committed party's managers and the agreement owner's.
            return sorted(
                set(managers_of(commitment.party.organization_id))
                | set(managers_of(agreement.owning_organization_id))
            )

        return due_date_reminders(
            due_date=target.due_date,
            due_rule=rules[RuleCode.COMMITMENT_DUE],
            overdue_rule=rules[RuleCode.COMMITMENT_OVERDUE],
            owners=responsible_users(commitment),
            managers=managers,
            texts=DueDateTexts(
                due=lambda when: (f"مهلت تعهد {when}: {title}", f"مهلت {named} {due_text} است."),
                overdue=lambda late: (
                    f"تعهد معوق ({fa(late)} روز): {title}",
                    f"مهلت {named} {due_text} بود و انجام نشده است.",
                ),
                escalation=escalation,
            ),
            url=f"/commitments/{commitment.pk}/",
            now=now,
        )


class CommitmentPlanner:
    model_label = "commitments.commitment"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        cfg = rules[RuleCode.WORK_ASSIGNED]
        if not cfg.is_active or target.agreement.status in _ENDED:
            return []
        if not target.occurrences.filter(status__in=UNFULFILLED).exists():
            return []
        due_text = format_date(target.due_date, "long")
        return [
            Planned(
                rule=RuleCode.WORK_ASSIGNED,
                kind="commitment",
                recipient_id=user_id,
                due_at=target.assigned_at,
                anchor_at=target.assigned_at,
                digestible=False,
                title=f"تعهدی به عهده شما: {target.title[:80]}",
                body=(
                    f"تعهد «{target.title}» در تفاهم‌نامه {target.agreement.reference_number} "
                    f"به عهده شماست؛ مهلت {due_text}."
                ),
                url=f"/commitments/{target.pk}/",
            )
            for user_id in responsible_users(target)
        ]
