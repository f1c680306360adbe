"""Versions of the text and the parties' approvals of the current one."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user, require_role
from tracker.exceptions import ConflictError, PermissionDeniedError

from ..choices import AgreementStatus
from ..models import Agreement, AgreementApproval, AgreementParty, AgreementVersion
from .common import TEXT_STATUSES, _announce_next_step, _lock


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
