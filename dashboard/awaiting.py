"""«منتظر اقدام شما» on the home page: what waits for the signed-in user now.

Derived from the state of things, not from the notices (a notice read or cleared does not
take the work away): agreements whose next step the user's role in the owning organisation
(or, for an approval, in a party) allows, and the unfulfilled commitments that are theirs
(as responsible person, or as staff of the committed party when no one is named). Three
queries (and the scope's), whatever the number of rows; at most ``LIMIT`` of each.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from agreements.choices import AgreementStatus as S
from agreements.models import AgreementApproval, AgreementParty
from agreements.selectors import agreement_list_for_user, tehran_today
from commitments.choices import UNFULFILLED, OccurrenceStatus
from commitments.selectors import occurrence_list_for_user
from organizations.choices import Role
from organizations.scoping import org_scope_for_user
from tracker.jalali import format_date

LIMIT = 10
_STEP: dict[str, str] = {
    S.INTERNAL_REVIEW: "بررسی داخلی",
    S.LEGAL_REVIEW: "بررسی حقوقی و ارسال برای مذاکره",
    S.APPROVED: "ثبت امضا",
}


def awaiting_action_for_user(*, user: Any) -> dict[str, Any]:
    scope = org_scope_for_user(user)
    items: list[dict[str, Any]] = []
    if not scope.everything:
        staff = sorted(scope.ids_with_role(Role.STAFF))
        managers = sorted(scope.ids_with_role(Role.MANAGER))
        approved_current = AgreementApproval.objects.filter(
            party_id=OuterRef("pk"), version__is_current=True
        )
        unapproved = AgreementParty.objects.filter(agreement_id=OuterRef("pk")).exclude(
            Exists(approved_current)
        )
        mine_to_approve = (
            AgreementParty.objects.filter(organization_id__in=managers)
            .annotate(done=Exists(approved_current))
            .filter(agreement_id=OuterRef("pk"), done=False)
        )
        agreements = (
            agreement_list_for_user(user=user)
            .prefetch_related(None)
            .annotate(mine_to_approve=Exists(mine_to_approve))
            .filter(
                Q(status=S.INTERNAL_REVIEW, owning_organization_id__in=staff)
                | Q(status__in=[S.LEGAL_REVIEW, S.APPROVED], owning_organization_id__in=managers)
                | Q(status=S.NEGOTIATION, mine_to_approve=True)
                | Q(status=S.NEGOTIATION, owning_organization_id__in=managers)
                & ~Q(Exists(unapproved))
            )
            .order_by("status_changed_at", "id")[:LIMIT]
        )
        for a in agreements:
            step = _STEP.get(a.status)
            if step is None:
                step = "تأیید متن" if a.mine_to_approve else "تأیید نهایی متن"
            items.append(
                {
                    "url": a.get_absolute_url(),
                    "label": f"{step}: {a.reference_number} – {a.title}",
                    "note": f"از {format_date(a.status_changed_at)}",
                }
            )
    occurrences = (
        occurrence_list_for_user(user=user)
        .filter(status__in=UNFULFILLED)
        .filter(
            Q(commitment__responsible__user=user)
            | Q(commitment__responsible__isnull=True)
            & Q(commitment__party__organization_id__in=sorted(scope.ids_with_role(Role.STAFF)))
        )
        .order_by("due_date", "id")[:LIMIT]
    )
    today = tehran_today()
    for o in occurrences:
        items.append(
            {
                "url": reverse("commitments:commitment_detail", args=[o.commitment_id]),
                "label": f"تعهد: {o.commitment.title} ({o.commitment.agreement.reference_number})",
                "note": (
                    "معوق، " if o.status == OccurrenceStatus.LATE or o.due_date < today else ""
                )
                + f"مهلت {format_date(o.due_date)}",
            }
        )
    return {
        "title": "منتظر اقدام شما",
        "items": items,
        "empty": "کاری منتظر شما نیست.",
        "more_url": reverse("commitments:occurrence_list") + "?overdue=true",
    }
