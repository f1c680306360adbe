"""The versions of an agreement a user may see, one version, the diff between two, and
the approvals of the visible versions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from ..diff import DiffResult, diff_texts
from ..models import Agreement, AgreementApproval, AgreementVersion
from .visibility import agreement_party_window


def _visible_versions(user: Any, agreement: Agreement) -> QuerySet[AgreementVersion]:
    qs = AgreementVersion.objects.filter(agreement=agreement)
    window = agreement_party_window(user=user, agreement=agreement)
    if window is None:
        return qs
    if window.first_version is None:
        return qs.none()
    return qs.filter(number__gte=window.first_version)


def agreement_versions(*, user: Any, agreement: Agreement) -> QuerySet[AgreementVersion]:
    """The versions of a (visible) agreement the user may see, newest first, with authors:
    a party-only viewer sees the version current when negotiation began and later ones."""
    return (
        _visible_versions(user, agreement)
        .select_related("author", "base_version")
        .order_by("-number")
    )


def agreement_current_version(*, user: Any, agreement: Agreement) -> AgreementVersion | None:
    return (
        _visible_versions(user, agreement).filter(is_current=True).select_related("author").first()
    )


def agreement_version_get(
    *, user: Any, agreement: Agreement, number: Any, field: str = "number"
) -> Any:
    """The version ``number`` of ``agreement``; a 400 naming the number if it has none, a
    404 naming nothing if the user may not see it (an internal draft, for a party)."""
    try:
        n = int(str(number))
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: f"شماره نسخه «{number}» عدد نیست."}) from exc
    window = agreement_party_window(user=user, agreement=agreement)
    if window is not None and not window.shows_version(n):
        raise Http404()
    version = AgreementVersion.objects.filter(agreement=agreement, number=n).first()
    if version is None:
        raise ValidationError({field: f"این تفاهم‌نامه نسخه شماره {n} ندارد."})
    return version


def agreement_diff(
    *, user: Any, agreement: Agreement, from_number: Any, to_number: Any
) -> dict[str, Any]:
    """The word-level diff between two versions (both visible to the user) of one agreement."""
    old = agreement_version_get(user=user, agreement=agreement, number=from_number, field="from")
    new = agreement_version_get(user=user, agreement=agreement, number=to_number, field="to")
    result: DiffResult = diff_texts(old.text, new.text)
    return {"agreement": agreement.pk, "from": old.number, "to": new.number, **result}


def agreement_approvals(*, user: Any, agreement: Agreement) -> QuerySet[AgreementApproval]:
    """Every approval of every version the user may see, oldest first."""
    return AgreementApproval.objects.filter(
        version__in=_visible_versions(user, agreement).values("pk")
    ).select_related("party__organization", "version", "approved_by")
