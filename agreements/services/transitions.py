"""Status moves: one guarded transition, and the system's time-driven moves built on it."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.scoping import org_scope_for_user
from tracker.exceptions import ConflictError, PermissionDeniedError

from .. import workflow
from ..choices import AgreementStatus
from ..models import Agreement
from ..selectors import agreement_workflow_facts, tehran_today
from .common import _announce_next_step, _lock, _record_status, _status_label


@transaction.atomic
def agreement_transition(
    *,
    actor: User | None,
    agreement: Agreement,
    to: str,
    reason: str = "",
    now: datetime | None = None,
) -> Agreement:
    """Move the agreement to ``to`` if the workflow has that edge, the actor's role in the
    owning organisation is enough (``actor=None`` is the system, allowed only on edges
    marked ``system``) and every guard passes. Writes exactly one status change row."""
    now = now or timezone.now()
    if to not in AgreementStatus.values:
        raise ValidationError({"to": f"وضعیت «{to}» شناخته نیست."})
    locked = _lock(agreement)
    transition = workflow.find(locked.status, to)
    if transition is None:
        raise ConflictError(
            f"گذار از «{_status_label(locked.status)}» به «{_status_label(to)}» "
            "در گردش کار تفاهم‌نامه مجاز نیست.",
            field="to",
        )
    if actor is None:
        if not transition.system:
            raise ConflictError(f"سامانه نمی‌تواند «{transition.label}» را خودکار انجام دهد.")
    else:
        label = Role(transition.role).label
        if not org_scope_for_user(actor).has_role(locked.owning_organization_id, transition.role):
            raise PermissionDeniedError(
                f"برای «{transition.label}» باید در سازمان مالک تفاهم‌نامه "
                f"دست‌کم نقش «{label}» داشته باشید."
            )
    facts = agreement_workflow_facts(agreement=locked, now=now, reason=reason)
    blockers = transition.blockers(facts)
    if blockers:
        raise ConflictError(" ".join(blockers), field="to", extra={"guards": blockers})
    from_status = locked.status
    locked.status = to
    locked.status_changed_at = now
    locked.lock_version += 1
    # One audit row per purpose: the move is the AgreementStatusChange below, so the save
    # writes no simple-history row (the history keeps field edits; see models.Agreement).
    locked.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        locked.save(update_fields=["status", "status_changed_at", "lock_version", "updated_at"])
    finally:
        del locked.skip_history_when_saving  # type: ignore[attr-defined]
    _record_status(
        agreement=locked,
        actor=actor,
        from_status=from_status,
        to_status=to,
        reason=reason.strip(),
        at=now,
    )
    reminders_refresh(target=locked, now=now)
    _announce_next_step(locked, now)
    # The caller's copy follows, so it can be used (or rendered) without a reload.
    agreement.status = locked.status
    agreement.status_changed_at = locked.status_changed_at
    agreement.lock_version = locked.lock_version
    return locked


def _move_due(*, from_status: str, date_lookup: str, to: str, reason: str, now: datetime) -> int:
    """Move every agreement in ``from_status`` whose date matches ``date_lookup`` against
    today (Asia/Tehran) to ``to``, each in its own transaction through
    :func:`agreement_transition` (actor «system», row lock, guard re-checked, one history
    row), so one failure does not hold back the others and a second run, or two workers at
    once, change nothing more. Returns how many moved."""
    due = list(
        Agreement.objects.filter(
            status=from_status, **{date_lookup: tehran_today(now)}
        ).values_list("pk", flat=True)
    )
    moved = 0
    for pk in due:
        try:
            agreement_transition(
                actor=None, agreement=Agreement(pk=pk), to=to, reason=reason, now=now
            )
        except ConflictError:
            continue  # moved (or changed) by someone else since the query: nothing to do
        moved += 1
    return moved


def agreements_expire_due(*, now: datetime | None = None) -> int:
    """Move every in-force agreement whose expiry date (Asia/Tehran) has passed to expired
    (idempotent; see :func:`_move_due`). Returns how many moved."""
    return _move_due(
        from_status=AgreementStatus.IN_FORCE,
        date_lookup="expiry_date__lt",
        to=AgreementStatus.EXPIRED,
        reason="تاریخ انقضا گذشته است.",
        now=now or timezone.now(),
    )


def agreements_put_in_force_due(*, now: datetime | None = None) -> int:
    """Move every signed agreement whose effective date (Asia/Tehran) has come to in force
    (idempotent; see :func:`_move_due`). Returns how many moved."""
    return _move_due(
        from_status=AgreementStatus.SIGNED,
        date_lookup="effective_date__lte",
        to=AgreementStatus.IN_FORCE,
        reason="تاریخ اجرا فرا رسیده است.",
        now=now or timezone.now(),
    )
