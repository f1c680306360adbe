"""Writes of commitments and their occurrences. Each is one transaction and takes ``actor``
(``None``: the system, only for the moves ``workflow.py`` marks ``system``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.choices import FINAL_STATUSES, AgreementStatus
from agreements.models import Agreement, AgreementParty
from agreements.selectors import tehran_today
from meetings.models import ActionItem, Decision
from notifications.choices import RuleCode
from notifications.services import reminders_dispatch_now, reminders_forget, reminders_refresh
from organizations.choices import Role
from organizations.models import Person
from organizations.scoping import org_scope_for_user, require_role
from tracker.exceptions import ConflictError, PermissionDeniedError
from tracker.jalali import format_date
from tracker.text import to_persian_digits

from . import schedule, workflow
from .choices import CLOSED, UNFULFILLED, OccurrenceStatus, Recurrence
from .models import Commitment, CommitmentOccurrence, OccurrenceStatusChange
from .reminders import PLAN_HORIZON_DAYS

#: Fields ``commitment_update`` accepts.
EDITABLE_FIELDS = (
    "party",
    "clause",
    "title",
    "description",
    "recurrence",
    "due_date",
    "repeat_until",
    "responsible",
)

#: Evidence files: the attachments app registers a handler ``(occurrence, files, actor)``
#: here in its ``ready()``; until one is registered, files are refused with a Persian 400.
#: The handler returns a ``discard()`` that deletes the files it stored: the move calls it
#: when anything after the store fails (the rows roll back, the files would stay behind).
EvidenceHandler = Callable[[CommitmentOccurrence, Sequence[Any], Any], Callable[[], None] | None]
_evidence_handlers: list[EvidenceHandler] = []


def register_evidence_handler(handler: EvidenceHandler) -> None:
    """Let a higher app store the files given with «done» (in the same transaction)."""
    if handler not in _evidence_handlers:
        _evidence_handlers.append(handler)


def _clean_text(value: str) -> str:
    return " ".join((value or "").split())


def _lock(commitment: Commitment | int) -> Commitment:
    """The commitment row, locked: edits and moves of one commitment queue behind each other."""
    pk = commitment.pk if isinstance(commitment, Commitment) else commitment
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agreement", "party")
        .get(pk=pk)
    )


def _require_open_agreement(agreement: Agreement) -> None:
    if agreement.status in FINAL_STATUSES:
        raise ConflictError(
            f"تفاهم‌نامه در وضعیت «{agreement.get_status_display()}» است و تعهد آن تغییر نمی‌کند."
        )


def _validate(commitment: Commitment) -> list[date]:
    """Field rules with Persian messages; returns the schedule's due dates."""
    commitment.title = _clean_text(commitment.title)
    commitment.clause = _clean_text(commitment.clause)
    errors: dict[str, str] = {}
    if not commitment.title:
        errors["title"] = "عنوان تعهد لازم است."
    if commitment.party.agreement_id != commitment.agreement_id:
        errors["party"] = "این طرف از طرفین این تفاهم‌نامه نیست."
    person = commitment.responsible
    if person is not None and person.organization_id != commitment.party.organization_id:
        errors["responsible"] = "مسئول تعهد باید از سازمان همان طرف متعهد باشد."
    if commitment.recurrence not in Recurrence.values:
        errors["recurrence"] = "نوع تکرار شناخته نیست."
    until = commitment.repeat_until
    if commitment.recurrence != Recurrence.NONE and until is None:
        until = commitment.agreement.expiry_date
        if until is None:
            errors["repeat_until"] = (
                "برای تعهد تکرارشونده «تکرار تا» را بنویسید؛ "
                "تفاهم‌نامه تاریخ انقضا ندارد که تا آن تکرار شود."
            )
    if until is not None and commitment.due_date and until < commitment.due_date:
        errors["repeat_until"] = "«تکرار تا» نمی‌تواند پیش از مهلت نخست باشد."
    if errors:
        raise ValidationError(errors)
    dates = schedule.due_dates(
        first=commitment.due_date, recurrence=commitment.recurrence, until=until
    )
    if schedule.too_many(dates):
        limit = to_persian_digits(str(schedule.MAX_OCCURRENCES))
        raise ValidationError({"repeat_until": f"این تکرار بیش از {limit} نوبت می‌سازد."})
    commitment.full_clean(
        exclude=["agreement", "party", "responsible", "source_decision", "source_action_item"],
        validate_constraints=False,
    )
    return dates


def _check_sources(
    agreement: Agreement, decision: Decision | None, action_item: ActionItem | None
) -> None:
    errors: dict[str, str] = {}
    if decision is not None and not decision.meeting.agreements.filter(pk=agreement.pk).exists():
        errors["source_decision"] = "این مصوبه از جلسه‌ای نیست که درباره این تفاهم‌نامه بوده است."
    if (
        action_item is not None
        and action_item.agreement_id != agreement.pk
        and not action_item.meeting.agreements.filter(pk=agreement.pk).exists()
    ):
        errors["source_action_item"] = (
            "این اقدام نه به این تفاهم‌نامه مربوط است و نه از جلسه‌ای درباره آن."
        )
    if errors:
        raise ValidationError(errors)


def _record(
    *,
    occurrence: CommitmentOccurrence,
    actor: Any,
    from_status: str,
    to: str,
    note: str,
    at: datetime,
) -> None:
    OccurrenceStatusChange.objects.create(
        occurrence=occurrence, from_status=from_status, to_status=to, actor=actor, at=at, note=note
    )


def _refresh(occurrence: CommitmentOccurrence, now: datetime) -> None:
    if occurrence.due_date <= tehran_today(now) + timedelta(days=PLAN_HORIZON_DAYS):
        reminders_refresh(target=occurrence, now=now)


def _sync_occurrences(
    commitment: Commitment, dates: list[date], *, actor: Any, now: datetime
) -> None:
    """Make the occurrence rows follow the schedule: the n-th open or late occurrence takes
    the n-th date (a late one whose date moved to today or later is open again), new dates
    get new rows, closed ones never move; rows past the new end are deleted if nothing
    happened to them, else the edit is refused."""
    existing = {o.number: o for o in commitment.occurrences.order_by("number")}
    today = tehran_today(now)
    for number, day in enumerate(dates, start=1):
        occ = existing.get(number)
        if occ is None:
            occ = CommitmentOccurrence.objects.create(
                commitment=commitment, number=number, due_date=day, status_changed_at=now
            )
            _record(occurrence=occ, actor=actor, from_status="", to=occ.status, note="", at=now)
            _refresh(occ, now)
            continue
        if occ.status in CLOSED or occ.due_date == day:
            if occ.status not in CLOSED:
                _refresh(occ, now)  # the party or the responsible may have changed
            continue
        occ.due_date = day
        fields = ["due_date"]
        if occ.status == OccurrenceStatus.LATE and day >= today:
            _record(
                occurrence=occ,
                actor=actor,
                from_status=occ.status,
                to=OccurrenceStatus.OPEN,
                note=f"مهلت به {format_date(day)} تغییر کرد.",
                at=now,
            )
            occ.status = OccurrenceStatus.OPEN
            occ.status_changed_at = now
            occ.status_changed_by = actor
            fields += ["status", "status_changed_at", "status_changed_by"]
        occ.save(update_fields=fields)
        reminders_refresh(target=occ, now=now)
    for number, occ in existing.items():
        if number <= len(dates) or occ.status in CLOSED:
            continue
        if occ.status_changes.exclude(from_status="").exists():
            raise ConflictError(
                f"نوبت {to_persian_digits(str(number))} این تعهد ({format_date(occ.due_date)}) "
                "سابقه دارد و با این تغییر حذف می‌شد؛ نخست آن را انجام‌شده یا بخشوده ثبت کنید.",
                field="repeat_until",
            )
        reminders_forget(target=occ, now=now)
        occ.status_changes.all().delete()
        occ.delete()


def _announce(commitment: Commitment, now: datetime) -> None:
    """Plan the «a commitment became yours» notice and send it at once (exactly once: the
    reminder is unique per commitment, recipient and assignment time)."""
    reminders_refresh(target=commitment, now=now)
    reminders_dispatch_now(target=commitment, rules=(RuleCode.WORK_ASSIGNED,), now=now)


# --- Commitments ----------------------------------------------------------------------------


@transaction.atomic
def commitment_create(
    *,
    actor: Any,
    agreement: Agreement,
    party: AgreementParty,
    title: str,
    due_date: date,
    description: str = "",
    clause: str = "",
    recurrence: str = Recurrence.NONE,
    repeat_until: date | None = None,
    responsible: Person | None = None,
    source_decision: Decision | None = None,
    source_action_item: ActionItem | None = None,
    now: datetime | None = None,
) -> Commitment:
    """Record a commitment of ``party`` (staff of the agreement's owner), with its
    occurrences; optionally taken from a decision or an action item of a meeting that
    discussed the agreement."""
    now = now or timezone.now()
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require_role(actor, locked.owning_organization_id, Role.STAFF)
    _require_open_agreement(locked)
    _check_sources(locked, source_decision, source_action_item)
    commitment = Commitment(
        agreement=locked,
        party=party,
        title=title,
        description=(description or "").strip(),
        clause=clause,
        recurrence=recurrence,
        due_date=due_date,
        repeat_until=repeat_until,
        responsible=responsible,
        source_decision=source_decision,
        source_action_item=source_action_item,
        assigned_at=now,
        created_by=actor,
    )
    dates = _validate(commitment)
    commitment.save()
    _sync_occurrences(commitment, dates, actor=actor, now=now)
    _announce(commitment, now)
    return commitment


@transaction.atomic
def commitment_update(
    *, actor: Any, commitment: Commitment, now: datetime | None = None, **fields: Any
) -> Commitment:
    """Change a commitment (staff of the owner). A moved schedule moves the open and late
    occurrences and re-plans their reminders; a new party or responsible is told at once."""
    now = now or timezone.now()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "این فیلد قابل ویرایش نیست."))
    current = _lock(commitment)
    require_role(actor, current.agreement.owning_organization_id, Role.STAFF)
    _require_open_agreement(current.agreement)
    before = (current.party_id, current.responsible_id)
    for name, value in fields.items():
        setattr(current, name, value)
    if "description" in fields:
        current.description = (current.description or "").strip()
    dates = _validate(current)
    if (current.party_id, current.responsible_id) != before:
        current.assigned_at = now
    current.save()
    _sync_occurrences(current, dates, actor=actor, now=now)
    _announce(current, now)
    return current


@transaction.atomic
def commitment_delete(*, actor: Any, commitment: Commitment, now: datetime | None = None) -> None:
    """Delete a commitment entered by mistake (staff of the owner): only while none of its
    occurrences has moved (a done, waived or late occurrence is history)."""
    now = now or timezone.now()
    current = _lock(commitment)
    require_role(actor, current.agreement.owning_organization_id, Role.STAFF)
    occurrences = list(current.occurrences.all())
    if (
        OccurrenceStatusChange.objects.filter(occurrence__commitment=current)
        .exclude(from_status="")
        .exists()
    ):
        raise ConflictError("وضعیت نوبتی از این تعهد تغییر کرده است؛ تعهد حذف نمی‌شود.")
    for occ in occurrences:
        reminders_forget(target=occ, now=now)
    reminders_forget(target=current, now=now)
    OccurrenceStatusChange.objects.filter(occurrence__commitment=current).delete()
    CommitmentOccurrence.objects.filter(commitment=current).delete()
    current.delete()


# --- Occurrences ------------------------------------------------------------------------------


def _may(actor: Any, move: workflow.Move, commitment: Commitment) -> bool:
    scope = org_scope_for_user(actor)
    owner = commitment.agreement.owning_organization_id
    if scope.has_role(owner, move.role):
        return True
    return move.where == workflow.PARTY and scope.has_role(
        commitment.party.organization_id, move.role
    )


@transaction.atomic
def occurrence_transition(
    *,
    actor: Any,
    occurrence: CommitmentOccurrence,
    to: str,
    note: str = "",
    files: Sequence[Any] = (),
    now: datetime | None = None,
) -> CommitmentOccurrence:
    """Move an occurrence along ``workflow.MOVES``: done takes an evidence note (and,
    once an evidence handler is registered, files), waived and reopened a reason and a
    manager of the agreement's owner. Writes exactly one status change row."""
    now = now or timezone.now()
    if to not in OccurrenceStatus.values:
        raise ValidationError({"to": f"وضعیت «{to}» شناخته نیست."})
    commitment = _lock(occurrence.commitment_id)
    locked = CommitmentOccurrence.objects.select_for_update().get(pk=occurrence.pk)
    move = workflow.find(locked.status, to)
    if move is None or (actor is not None and move.system_only):
        raise ConflictError(
            f"تغییر وضعیت از «{OccurrenceStatus(locked.status).label}» به "
            f"«{OccurrenceStatus(to).label}» مجاز نیست.",
            field="to",
        )
    if actor is None:
        if not move.system:
            raise ConflictError(f"سامانه نمی‌تواند «{move.label}» را خودکار انجام دهد.")
    else:
        _require_open_agreement(commitment.agreement)
        if not _may(actor, move, commitment):
            where = (
                "سازمان مالک تفاهم‌نامه"
                if move.where == workflow.OWNER
                else "سازمان طرف متعهد یا سازمان مالک"
            )
            raise PermissionDeniedError(
                f"برای «{move.label}» باید در {where} دست‌کم نقش «{Role(move.role).label}» "
                "داشته باشید."
            )
    note = (note or "").strip()
    if move.needs_evidence and not note:
        raise ValidationError({"evidence_note": "برای ثبت انجام، شرح انجام و مستندات لازم است."})
    if move.needs_reason and not note:
        raise ValidationError({"reason": "برای این تغییر باید دلیل آن را بنویسید."})
    if files:
        if not move.needs_evidence:
            raise ValidationError({"files": "پیوست فقط همراه ثبت انجام پذیرفته می‌شود."})
        if not _evidence_handlers:
            raise ValidationError({"files": "پیوست مستندات هنوز در این سامانه فعال نیست."})
    from_status = locked.status
    locked.status = to
    locked.status_changed_at = now
    locked.status_changed_by = actor
    fields = ["status", "status_changed_at", "status_changed_by"]
    if to == OccurrenceStatus.DONE:
        locked.evidence_note = note
        fields.append("evidence_note")
    elif to == OccurrenceStatus.WAIVED:
        locked.waiver_reason = note
        fields.append("waiver_reason")
    locked.save(update_fields=fields)
    _record(occurrence=locked, actor=actor, from_status=from_status, to=to, note=note, at=now)
    discards: list[Callable[[], None]] = []
    try:
        for handler in _evidence_handlers if files else ():
            discard = handler(locked, files, actor)
            if discard is not None:
                discards.append(discard)
        reminders_refresh(target=locked, now=now)
    except BaseException:
        # The transaction rolls back: no stored file may outlive the rows that name it.
        for discard in discards:
            discard()
        raise
    occurrence.status = locked.status
    return locked


def occurrence_complete(
    *,
    actor: Any,
    occurrence: CommitmentOccurrence,
    evidence_note: str,
    files: Sequence[Any] = (),
    now: datetime | None = None,
) -> CommitmentOccurrence:
    """Mark done, with the evidence note (required) and optional files."""
    return occurrence_transition(
        actor=actor,
        occurrence=occurrence,
        to=OccurrenceStatus.DONE,
        note=evidence_note,
        files=files,
        now=now,
    )


def occurrence_waive(
    *, actor: Any, occurrence: CommitmentOccurrence, reason: str, now: datetime | None = None
) -> CommitmentOccurrence:
    """Waive (a manager of the agreement's owner, with a reason)."""
    return occurrence_transition(
        actor=actor, occurrence=occurrence, to=OccurrenceStatus.WAIVED, note=reason, now=now
    )


def occurrence_reopen(
    *, actor: Any, occurrence: CommitmentOccurrence, reason: str, now: datetime | None = None
) -> CommitmentOccurrence:
    """Open a done or waived occurrence again (a manager of the owner, with a reason)."""
    return occurrence_transition(
        actor=actor, occurrence=occurrence, to=OccurrenceStatus.OPEN, note=reason, now=now
    )


def occurrences_mark_late(*, now: datetime | None = None) -> int:
    """Every open occurrence whose due date (Asia/Tehran) has passed becomes late.

    Each is its own transaction through :func:`occurrence_transition` (locks, one history
    row, actor «system»), so a second run or two workers at once change nothing more."""
    now = now or timezone.now()
    due = list(
        CommitmentOccurrence.objects.filter(
            status=OccurrenceStatus.OPEN, due_date__lt=tehran_today(now)
        )
        .exclude(
            commitment__agreement__status__in=[
                AgreementStatus.WITHDRAWN,
                AgreementStatus.TERMINATED,
            ]
        )
        .values_list("pk", "commitment_id")
    )
    moved = 0
    for pk, commitment_id in due:
        try:
            occurrence_transition(
                actor=None,
                occurrence=CommitmentOccurrence(pk=pk, commitment_id=commitment_id),
                to=OccurrenceStatus.LATE,
                note="مهلت گذشت.",
                now=now,
            )
        except ConflictError:
            continue  # closed by someone since the query
        moved += 1
    return moved


def occurrences_plan_upcoming(*, now: datetime | None = None) -> int:
    """Plan the reminders of unfulfilled occurrences that came within the planning horizon
    (idempotent: a reminder planned before is kept, not doubled). Returns how many."""
    now = now or timezone.now()
    horizon = tehran_today(now) + timedelta(days=PLAN_HORIZON_DAYS)
    rows = CommitmentOccurrence.objects.filter(
        status__in=UNFULFILLED, due_date__lte=horizon
    ).select_related("commitment__agreement", "commitment__party", "commitment__responsible")
    count = 0
    for occurrence in rows.iterator(chunk_size=500):
        reminders_refresh(target=occurrence, now=now)
        count += 1
    return count
