"""Opening and editing an agreement (the status moves in :mod:`.transitions`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from attachments.services import delete_stored_file_on_commit
from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import require_role
from tracker.exceptions import ConflictError, PreconditionFailed

from ..choices import FINAL_STATUSES, AgreementStatus
from ..models import Agreement
from .common import DATE_FIELDS, EDITABLE_FIELDS, _record_status, _save_unique, _validate
from .parties import _add_party
from .versions import _create_version


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
