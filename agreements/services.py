"""Writes of agreements. Each is one transaction and takes ``actor`` (``None``: the system)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from attachments.services import delete_stored_file_on_commit
from notifications.choices import RuleCode
from notifications.services import reminders_dispatch_now, reminders_refresh
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user, require_role
from tracker.exceptions import (
    ConflictError,
    PermissionDeniedError,
    PreconditionFailed,
    unique_violation_as,
)
from tracker.text import normalize

from . import workflow
from .choices import FINAL_STATUSES, AgreementStatus, PartyRole
from .models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)
from .selectors import agreement_workflow_facts, tehran_today

#: Fields a user may edit (the status moves only through agreement_transition; the owner
#: is fixed at creation; versions carry the text).
EDITABLE_FIELDS = (
    "reference_number",
    "title",
    "subject",
    "review_deadline",
    "target_signing_date",
    "signed_date",
    "effective_date",
    "expiry_date",
    "notice_period_days",
    "signed_scan",
)
#: Changing one of these re-plans reminders.
DATE_FIELDS = frozenset(
    {
        "review_deadline",
        "target_signing_date",
        "signed_date",
        "effective_date",
        "expiry_date",
        "notice_period_days",
    }
)
#: The text may change until the parties' final approval; after it only the exits remain.
TEXT_STATUSES = frozenset(
    {
        AgreementStatus.DRAFT,
        AgreementStatus.INTERNAL_REVIEW,
        AgreementStatus.LEGAL_REVIEW,
        AgreementStatus.NEGOTIATION,
    }
)


def _status_label(value: str) -> str:
    return AgreementStatus(value).label if value in AgreementStatus.values else value


DUPLICATE_REFERENCE = "این شماره پیش‌تر برای تفاهم‌نامه دیگری ثبت شده است."


def _save_unique(agreement: Agreement) -> None:
    """Save; a reference number a concurrent request took after :func:`_validate` checked it
    gets the same Persian 400 as one taken before."""
    error = ValidationError({"reference_number": DUPLICATE_REFERENCE})
    with unique_violation_as({"agreement_reference_unique_per_owner": error}):
        agreement.save()


def _validate(agreement: Agreement) -> None:
    """Field rules, with Persian messages (the database constraints stay as the backstop)."""
    agreement.reference_number = " ".join(agreement.reference_number.split())
    agreement.title = " ".join(agreement.title.split())
    agreement.reference_key = normalize(agreement.reference_number)
    errors: dict[str, str] = {}
    if not agreement.reference_number:
        errors["reference_number"] = "شماره تفاهم‌نامه لازم است."
    if not agreement.title:
        errors["title"] = "عنوان تفاهم‌نامه لازم است."
    if (
        agreement.effective_date
        and agreement.expiry_date
        and agreement.expiry_date <= agreement.effective_date
    ):
        errors["expiry_date"] = "تاریخ انقضا باید پس از تاریخ اجرا باشد."
    if (
        agreement.reference_key
        and Agreement.objects.filter(
            owning_organization_id=agreement.owning_organization_id,
            reference_key=agreement.reference_key,
        )
        .exclude(pk=agreement.pk)
        .exists()
    ):
        errors["reference_number"] = DUPLICATE_REFERENCE
    if errors:
        raise ValidationError(errors)
    agreement.full_clean(exclude=["reference_key", "created_by"], validate_constraints=False)


def _record_status(
    *,
    agreement: Agreement,
    actor: User | None,
    from_status: str,
    to_status: str,
    reason: str,
    at: datetime,
) -> AgreementStatusChange:
    return AgreementStatusChange.objects.create(
        agreement=agreement,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        at=at,
        lock_version=agreement.lock_version,
    )


def _lock(agreement: Agreement | int) -> Agreement:
    """The agreement row, locked until the transaction ends (versions, approvals and
    transitions of one agreement queue behind each other)."""
    pk = agreement.pk if isinstance(agreement, Agreement) else agreement
    return Agreement.objects.select_for_update().get(pk=pk)


def _announce_next_step(agreement: Agreement, now: datetime) -> None:
    """Send at once the «work landed on you» notices the move just planned (a review, an
    approval, a signature): the sweep's exactly-once deliveries, without its minute."""
    reminders_dispatch_now(target=agreement, rules=(RuleCode.WORK_ASSIGNED,), now=now)


# --- Agreement --------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    owning_organization: Organization,
    reference_number: str,
    title: str,
    parties: Iterable[tuple[Organization, str]] = (),
    text: str = "",
    change_note: str = "",
    now: datetime | None = None,
    **fields: Any,
) -> Agreement:
    """Open a draft owned by ``owning_organization`` (staff there), with its parties and,
    if ``text`` is given, its first version."""
    now = now or timezone.now()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "این فیلد شناخته\u200cشده نیست."))
    require_role(actor, owning_organization, Role.STAFF)
    agreement = Agreement(
        owning_organization=owning_organization,
        reference_number=reference_number,
        title=title,
        created_by=actor,
        status=AgreementStatus.DRAFT,
        status_changed_at=now,
        **fields,
    )
    _validate(agreement)
    agreement._history_user = actor  # type: ignore[attr-defined]
    _save_unique(agreement)
    _record_status(
        agreement=agreement,
        actor=actor,
        from_status="",
        to_status=AgreementStatus.DRAFT,
        reason="",
        at=now,
    )
    for organization, role in parties:
        _add_party(agreement=agreement, organization=organization, role=role)
    if text.strip():
        _create_version(
            agreement=agreement, actor=actor, text=text, change_note=change_note, now=now
        )
    reminders_refresh(target=agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *, actor: User, agreement: Agreement, expected_lock_version: int, **fields: Any
) -> Agreement:
    """Change fields of an agreement the caller read at ``expected_lock_version``.

    The version check and its increment are one conditional UPDATE, so of two edits made
    from the same copy exactly one matches; the other gets 412 and changes nothing. The
    winner's UPDATE also holds the row lock until commit, so the fields are re-read and
    saved under it (never from the caller's possibly older copy).
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "این فیلد قابل ویرایش نیست."))
    require_role(actor, agreement.owning_organization_id, Role.STAFF)
    bumped = Agreement.objects.filter(pk=agreement.pk, lock_version=expected_lock_version).update(
        lock_version=F("lock_version") + 1
    )
    if not bumped:
        raise PreconditionFailed(
            "این تفاهم‌نامه پس از آنکه آن را باز کردید تغییر کرده است؛ "
            "نسخه تازه را بخوانید و تغییرتان را دوباره اعمال کنید.",
            field="lock_version",
        )
    current = Agreement.objects.get(pk=agreement.pk)
    if current.status in FINAL_STATUSES:
        raise ConflictError(
            f"تفاهم‌نامه در وضعیت «{current.get_status_display()}» است و ویرایش نمی‌شود."
        )
    replaced_scan = current.signed_scan.name if "signed_scan" in fields else ""
    for name, value in fields.items():
        setattr(current, name, value)
    _validate(current)
    current._history_user = actor  # type: ignore[attr-defined]
    _save_unique(current)
    if replaced_scan and replaced_scan != current.signed_scan.name:
        # A replaced scan is deleted, not kept: the new one is the record (docs/agreements.md).
        delete_stored_file_on_commit(current.signed_scan.storage, replaced_scan)
    if DATE_FIELDS & set(fields):
        reminders_refresh(target=current)
    return current


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


def agreements_expire_due(*, now: datetime | None = None) -> int:
    """Move every in-force agreement whose expiry date (Asia/Tehran) has passed to expired.

    Each agreement is its own transaction through :func:`agreement_transition` (row lock,
    guard re-checked, one history row), so one failure does not hold back the others and
    a second run, or two workers at once, change nothing more. Returns how many moved.
    """
    now = now or timezone.now()
    due = list(
        Agreement.objects.filter(
            status=AgreementStatus.IN_FORCE, expiry_date__lt=tehran_today(now)
        ).values_list("pk", flat=True)
    )
    moved = 0
    for pk in due:
        try:
            agreement_transition(
                actor=None,
                agreement=Agreement(pk=pk),
                to=AgreementStatus.EXPIRED,
                reason="تاریخ انقضا گذشته است.",
                now=now,
            )
        except ConflictError:
            continue  # moved (or changed) by someone else since the query: nothing to do
        moved += 1
    return moved


def agreements_put_in_force_due(*, now: datetime | None = None) -> int:
    """Move every signed agreement whose effective date (Asia/Tehran) has come to in force,
    the way :func:`agreements_expire_due` expires: each its own transaction through
    :func:`agreement_transition` (actor «system», guard re-checked, one history row),
    idempotent. Returns how many moved."""
    now = now or timezone.now()
    due = list(
        Agreement.objects.filter(
            status=AgreementStatus.SIGNED, effective_date__lte=tehran_today(now)
        ).values_list("pk", flat=True)
    )
    moved = 0
    for pk in due:
        try:
            agreement_transition(
                actor=None,
                agreement=Agreement(pk=pk),
                to=AgreementStatus.IN_FORCE,
                reason="تاریخ اجرا فرا رسیده است.",
                now=now,
            )
        except ConflictError:
            continue  # moved (or changed) by someone else since the query: nothing to do
        moved += 1
    return moved


# --- Parties ----------------------------------------------------------------------------------


def _add_party(*, agreement: Agreement, organization: Organization, role: str) -> AgreementParty:
    if role not in PartyRole.values:
        raise ValidationError({"role": f"نقش «{role}» برای طرف تفاهم‌نامه شناخته نیست."})
    existing = list(AgreementParty.objects.filter(agreement=agreement))
    if any(p.organization_id == organization.pk for p in existing):
        raise ValidationError({"organization": f"«{organization}» پیش‌تر طرف این تفاهم‌نامه است."})
    if role != PartyRole.WITNESS and any(p.role == role for p in existing):
        raise ValidationError({"role": f"«{PartyRole(role).label}» پیش‌تر تعیین شده است."})
    return AgreementParty.objects.create(agreement=agreement, organization=organization, role=role)


def _record_party_change(*, agreement: Agreement, actor: User, reason: str) -> None:
    """One row in the agreement's history for a party change (who, when, what: the reason
    names it). The lock version stays: the row's fields did not change, so an edit made
    from a copy read before is not refused (the GET's ETag changes with the parties)."""
    agreement._history_user = actor  # type: ignore[attr-defined]
    # simple-history keeps at most 100 characters of a reason.
    agreement._change_reason = reason[:100]  # type: ignore[attr-defined]
    agreement.save(update_fields=["updated_at"])


PARTIES_FIXED = "پس از تأیید نهایی متن، طرفین تفاهم‌نامه تغییر نمی‌کنند."


@transaction.atomic
def agreement_party_add(
    *, actor: User, agreement: Agreement, organization: Organization, role: str
) -> AgreementParty:
    """Add a party (staff of the owner), while the text can still change."""
    locked = _lock(agreement)
    require_role(actor, locked.owning_organization_id, Role.STAFF)
    if locked.status not in TEXT_STATUSES:
        raise ConflictError(PARTIES_FIXED)
    party = _add_party(agreement=locked, organization=organization, role=role)
    _record_party_change(
        agreement=locked,
        actor=actor,
        reason=f"افزودن طرف: {organization} ({PartyRole(role).label})",
    )
    return party


@transaction.atomic
def agreement_party_change(*, actor: User, party: AgreementParty, role: str) -> AgreementParty:
    """Change a party's role (staff of the owner), while the text can still change and
    before that party has approved anything."""
    locked = _lock(party.agreement_id)
    require_role(actor, locked.owning_organization_id, Role.STAFF)
    if locked.status not in TEXT_STATUSES:
        raise ConflictError(PARTIES_FIXED)
    if role not in PartyRole.values:
        raise ValidationError({"role": f"نقش «{role}» برای طرف تفاهم‌نامه شناخته نیست."})
    current = AgreementParty.objects.select_related("organization").get(pk=party.pk)
    if current.role == role:
        return current
    if AgreementApproval.objects.filter(party=current).exists():
        raise ConflictError("این طرف نسخه‌ای از متن را تأیید کرده است و نقشش تغییر نمی‌کند.")
    if (
        role != PartyRole.WITNESS
        and AgreementParty.objects.filter(agreement=locked, role=role)
        .exclude(pk=current.pk)
        .exists()
    ):
        raise ValidationError({"role": f"«{PartyRole(role).label}» پیش‌تر تعیین شده است."})
    old = PartyRole(current.role).label
    AgreementParty.objects.filter(pk=current.pk).update(role=role)
    current.role = role
    _record_party_change(
        agreement=locked,
        actor=actor,
        reason=f"تغییر نقش طرف {current.organization}: از «{old}» به «{PartyRole(role).label}»",
    )
    return current


@transaction.atomic
def agreement_party_remove(*, actor: User, party: AgreementParty) -> None:
    """Remove a party that has approved nothing yet (approvals are history)."""
    locked = _lock(party.agreement_id)
    require_role(actor, locked.owning_organization_id, Role.STAFF)
    if locked.status not in TEXT_STATUSES:
        raise ConflictError(PARTIES_FIXED)
    if AgreementApproval.objects.filter(party=party).exists():
        raise ConflictError("این طرف نسخه‌ای از متن را تأیید کرده است و حذف نمی‌شود.")
    current = AgreementParty.objects.select_related("organization").filter(pk=party.pk).first()
    if current is None:
        return
    # Commitments of the party (the commitments app, through its reverse relation) keep it.
    if getattr(current, "commitments", None) is not None and current.commitments.exists():
        raise ConflictError("این طرف تعهد ثبت‌شده دارد؛ نخست تعهدهای او را حذف کنید.")
    AgreementParty.objects.filter(pk=party.pk).delete()
    _record_party_change(
        agreement=locked,
        actor=actor,
        reason=f"حذف طرف: {current.organization} ({current.get_role_display()})",
    )


# --- Versions and approvals -------------------------------------------------------------------


def _create_version(
    *,
    agreement: Agreement,
    actor: User,
    text: str,
    change_note: str,
    now: datetime,
    base_version: AgreementVersion | None = None,
) -> AgreementVersion:
    # The caller holds the agreement's row lock: numbers cannot race.
    last = AgreementVersion.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"]
    previous_current = AgreementVersion.objects.filter(agreement=agreement, is_current=True)
    # Turn the old current off first: the partial unique index allows one current row.
    previous_current.update(is_current=False)
    version = AgreementVersion(
        agreement=agreement,
        number=(last or 0) + 1,
        text=text,
        change_note=" ".join(change_note.split()),
        base_version=base_version,
        is_current=True,
        author=actor,
        created_at=now,
    )
    version.full_clean(exclude=["agreement", "base_version", "author"], validate_constraints=False)
    version.save()
    return version


@transaction.atomic
def agreement_version_create(
    *,
    actor: User,
    agreement: Agreement,
    text: str = "",
    change_note: str = "",
    base_version: AgreementVersion | None = None,
    now: datetime | None = None,
) -> AgreementVersion:
    """Append a new current version (staff of the owner). Without ``text`` the base
    version's text is taken (restoring an older text). The parties' approvals were given
    to the old text, so none applies to the new one."""
    now = now or timezone.now()
    locked = _lock(agreement)
    require_role(actor, locked.owning_organization_id, Role.STAFF)
    if locked.status not in TEXT_STATUSES:
        raise ConflictError(
            f"در وضعیت «{locked.get_status_display()}» متن تفاهم‌نامه دیگر تغییر نمی‌کند."
        )
    if base_version is not None and base_version.agreement_id != locked.pk:
        raise ValidationError({"base_version": "نسخه مبنا از تفاهم‌نامه دیگری است."})
    if not text.strip() and base_version is not None:
        text = base_version.text
    if not text.strip():
        raise ValidationError({"text": "متن نسخه خالی است."})
    current = AgreementVersion.objects.filter(agreement=locked, is_current=True).first()
    if current is not None and current.text == text:
        raise ValidationError({"text": f"این متن با نسخه جاری ({current.number}) یکسان است."})
    version = _create_version(
        agreement=locked,
        actor=actor,
        text=text,
        change_note=change_note,
        now=now,
        base_version=base_version or current,
    )
    # Bumping the lock version tells editors holding an older copy that things moved on.
    Agreement.objects.filter(pk=locked.pk).update(
        lock_version=F("lock_version") + 1, updated_at=now
    )
    reminders_refresh(target=locked, now=now)
    _announce_next_step(locked, now)
    return version


@transaction.atomic
def agreement_approve(
    *,
    actor: User,
    agreement: Agreement,
    organization: Organization,
    note: str = "",
    now: datetime | None = None,
) -> AgreementApproval:
    """Record that party ``organization`` approves the current text (during negotiation).

    A manager of that party records it, or a manager of the owner on the party's behalf
    (an approval received in writing)."""
    now = now or timezone.now()
    locked = _lock(agreement)
    party = (
        AgreementParty.objects.filter(agreement=locked, organization=organization)
        .select_related("organization")
        .first()
    )
    if party is None:
        raise ValidationError({"organization": f"«{organization}» طرف این تفاهم‌نامه نیست."})
    scope = org_scope_for_user(actor)
    if not (
        scope.has_role(organization.pk, Role.MANAGER)
        or scope.has_role(locked.owning_organization_id, Role.MANAGER)
    ):
        raise PermissionDeniedError(
            "تأیید یک طرف را مدیر همان طرف یا مدیر سازمان مالک تفاهم‌نامه ثبت می‌کند."
        )
    if locked.status != AgreementStatus.NEGOTIATION:
        raise ConflictError(
            "تأیید طرفین فقط در مرحله «مذاکره با طرفین» ثبت می‌شود؛ "
            f"وضعیت کنونی «{locked.get_status_display()}» است."
        )
    current = AgreementVersion.objects.filter(agreement=locked, is_current=True).first()
    if current is None:
        raise ConflictError("تفاهم‌نامه هنوز متنی ندارد که تأیید شود.")
    if AgreementApproval.objects.filter(party=party, version=current).exists():
        raise ConflictError(
            f"«{party.organization}» نسخه {current.number} را پیش‌تر تأیید کرده است."
        )
    approval = AgreementApproval.objects.create(
        party=party,
        version=current,
        approved_by=actor,
        approved_at=now,
        note=" ".join(note.split()),
    )
    reminders_refresh(target=locked, now=now)
    _announce_next_step(locked, now)
    return approval
