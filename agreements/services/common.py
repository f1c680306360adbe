"""What the agreement services share: the editable fields, the field checks, the row lock,
the status audit row and the «work landed on you» notice."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from notifications.choices import RuleCode
from notifications.services import reminders_dispatch_now
from tracker.exceptions import unique_violation_as
from tracker.text import normalize

from ..choices import AgreementStatus
from ..models import Agreement, AgreementStatusChange

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
