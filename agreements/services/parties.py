"""The parties of an agreement: added, re-roled or removed while the text can change."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import require_role
from tracker.exceptions import ConflictError

from ..choices import PartyRole
from ..models import Agreement, AgreementApproval, AgreementParty
from .common import TEXT_STATUSES, _lock


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
