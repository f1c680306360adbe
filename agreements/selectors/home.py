"""The agreements card of the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tracker.jalali import format_date

from ..choices import AgreementStatus
from .visibility import agreement_list_for_user


def home_summary_for_user(*, user: Any) -> dict[str, Any]:
    """The home page card: agreements still on their way, most recently changed first."""
    open_statuses = [
        AgreementStatus.DRAFT,
        AgreementStatus.INTERNAL_REVIEW,
        AgreementStatus.LEGAL_REVIEW,
        AgreementStatus.NEGOTIATION,
        AgreementStatus.APPROVED,
    ]
    rows = list(
        agreement_list_for_user(user=user)
        .filter(status__in=open_statuses)
        .prefetch_related(None)
        .order_by("-updated_at")[:5]
    )
    return {
        "title": "تفاهم‌نامه‌های در جریان",
        "items": [
            {
                "url": a.get_absolute_url(),
                "label": f"{a.reference_number} – {a.title}",
                "note": f"{a.get_status_display()} از {format_date(a.status_changed_at)}",
            }
            for a in rows
        ],
        "empty": "تفاهم‌نامه در جریانی نیست.",
        "more_url": reverse("agreements:agreement_list"),
    }
