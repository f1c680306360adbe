"""«امضا شد → نافذ»: the notice that an agreement came into force, with what is now due.

When an agreement moves signed → in force (a manager's move or the time-driven job on its
effective date), the managers of its owner and the people of its parties who have a login
(those of them who see the agreement) are told at once, in-app and by e-mail, through the
notifications app's exactly-once deliveries: a ``work_assigned`` reminder of kind
``in_force`` anchored at the moment the agreement entered the state, so a second plan (any
later save) keeps it instead of adding one. The agreements service plans and dispatches
``work_assigned`` after every move, so nothing else has to call this. The one who made the
move is not told of it.

The planner extends the built-in agreement planner (notifications.planners, which cannot
read commitments: a lower layer) and replaces it in the registry from this app's
``ready()``; the open commitments of the agreement are listed in the body (one query).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model

from agreements.selectors import agreement_list_for_user
from notifications.choices import RuleCode
from notifications.planners import AgreementPlanner
from notifications.rules import Planned, RuleConfig, managers_of
from organizations.models import Person
from tracker.jalali import format_date

from .choices import UNFULFILLED
from .models import CommitmentOccurrence

SIGNED = "signed"
IN_FORCE = "in_force"
#: Commitments named in the notice; more are counted.
LISTED = 5
KIND = "in_force"


def _recipients(agreement: Any, mover: int | None) -> list[int]:
    """The owner's managers and the parties' people with a login, but only those who see
    the agreement (agreement_list_for_user): a person's login may belong to someone with no
    membership in the party they represent, and a notice must not show what its page hides."""
    owner_managers = set(managers_of(agreement.owning_organization_id))
    contacts = set(
        Person.objects.filter(
            organization__agreement_parties__agreement=agreement,
            user__isnull=False,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    candidates = sorted(u for u in owner_managers | contacts if u != mover)
    users = get_user_model().objects.filter(pk__in=candidates, is_active=True).order_by("pk")
    return [
        user.pk
        for user in users
        if agreement_list_for_user(user=user).filter(pk=agreement.pk).exists()
    ]


def _due_lines(agreement: Any) -> list[str]:
    rows = list(
        CommitmentOccurrence.objects.filter(commitment__agreement=agreement, status__in=UNFULFILLED)
        .order_by("due_date", "id")
        .values_list("commitment__title", "commitment__party__organization__name", "due_date")[
            : LISTED + 1
        ]
    )
    lines = [f"- {title} ({party})، مهلت {format_date(due)}" for title, party, due in rows[:LISTED]]
    if len(rows) > LISTED:
        lines.append("- و تعهدات دیگر در صفحه تفاهم‌نامه.")
    return lines


def in_force_notices(target: Any, *, rules: Mapping[str, RuleConfig]) -> list[Planned]:
    """The «came into force» notices ``target`` should have now (none unless it is in
    force and its last move was signed → in force)."""
    entered: datetime | None = target.status_changed_at
    if target.status != IN_FORCE or entered is None or not rules[RuleCode.WORK_ASSIGNED].is_active:
        return []
    last = (
        target.status_changes.order_by("-at", "-id").values_list("from_status", "actor_id").first()
    )
    if last is None or last[0] != SIGNED:
        return []
    name = f"{target.reference_number} – {target.title}"
    effective = f" از {format_date(target.effective_date, 'long')}" if target.effective_date else ""
    body = f"تفاهم‌نامه امضاشده{effective} نافذ (لازم‌الاجرا) شد."
    lines = _due_lines(target)
    if lines:
        body += "\nتعهداتی که اکنون باید پیگیری شوند:\n" + "\n".join(lines)
    url = target.get_absolute_url()
    return [
        Planned(
            rule=RuleCode.WORK_ASSIGNED,
            kind=KIND,
            recipient_id=user_id,
            due_at=entered,
            anchor_at=entered,
            digestible=False,
            title=f"تفاهم‌نامه نافذ شد: {name}",
            body=body,
            url=url,
        )
        for user_id in _recipients(target, last[1])
    ]


class AgreementWithInForcePlanner(AgreementPlanner):
    """The built-in agreement planner, plus the «came into force» notice."""

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        return [*super().plan(target, rules=rules, now=now), *in_force_notices(target, rules=rules)]
