"""Who sees which agreement, and how much of a party-only viewer's past is shown.

Every read of agreements starts from :func:`agreement_list_for_user` (the one scope rule);
:func:`agreement_party_window` is the one rule behind history, versions, diff, timeline
and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from organizations.choices import Role
from organizations.scoping import org_scope_for_user, scope_q
from tracker.expressions import ProbedExists
from tracker.jalali import to_tehran
from tracker.search import indexed_search

from ..choices import INTERNAL_STATUSES, AgreementStatus
from ..models import Agreement, AgreementParty, AgreementStatusChange, AgreementVersion

#: What ``q`` searches (``search_text``, kept by the triggers of
#: agreements/migrations/0005_search_text.py):
#: these fields and the text of the current version.
SEARCH_FIELDS = ("reference_number", "title", "subject", "versions__text")


def tehran_today(now: datetime | None = None) -> date:
    """Today's date in Asia/Tehran (the date every date rule of agreements uses)."""
    return to_tehran(now or timezone.now()).date()


def agreement_list_for_user(*, user: Any, search: str = "") -> QuerySet[Agreement]:
    """Agreements the user may see.

    The owning organisation (and its ancestors' members, through the scope) always; the
    members of every party from negotiation on. Drafts, internal and legal reviews stay
    inside the owner. A party is a to-many path: it is tested with a subquery on ids so a
    row never appears twice and the queryset stays countable and sortable.
    """
    qs = Agreement.objects.select_related("owning_organization").prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")),
        Prefetch(
            "versions",
            queryset=AgreementVersion.objects.filter(is_current=True).only(
                "id", "agreement_id", "number", "created_at"
            ),
            to_attr="current_versions",
        ),
    )
    owner_q = scope_q(user, "owning_organization")
    if owner_q is not None:
        ids = org_scope_for_user(user).id_list
        # EXISTS under the OR: PostgreSQL runs it as a hashed subplan over the scope's party
        # rows (what list pages and counts get, 7 ms at scale 10) or probes it per row when
        # it expects few rows; the old ``pk IN (…)`` form was always hashed.
        as_party = AgreementParty.objects.filter(
            agreement_id=OuterRef("pk"), organization_id__anyof=ids
        )
        # A draft withdrawn before it ever reached negotiation never went to the parties.
        # Asked of withdrawn rows only: probed per row (a hash would read every status
        # change first: 110,000 rows at scale 10).
        went_to_parties = AgreementStatusChange.objects.filter(
            agreement_id=OuterRef("pk"), to_status=AgreementStatus.NEGOTIATION
        )
        party_q = (
            Q(Exists(as_party))
            & ~Q(status__in=INTERNAL_STATUSES)
            & (~Q(status=AgreementStatus.WITHDRAWN) | Q(ProbedExists(went_to_parties)))
        )
        qs = qs.filter(owner_q | party_q)
    return indexed_search(qs, search)


# The columns the API's agreement rows read (everything but the internal reference key and
# the creator), the owner's name, the parties with their organisation's name only.
AGREEMENT_API_FIELDS = (
    "id",
    "reference_number",
    "title",
    "subject",
    "status",
    "status_changed_at",
    "owning_organization_id",
    "owning_organization__name",
    "review_deadline",
    "target_signing_date",
    "signed_date",
    "effective_date",
    "expiry_date",
    "notice_period_days",
    "signed_scan",
    "lock_version",
    "created_at",
    "updated_at",
)


def agreement_api_list_for_user(*, user: Any) -> QuerySet[Agreement]:
    """:func:`agreement_list_for_user` for reading only (API list and detail): narrow rows
    and a narrow parties prefetch. Same rows, same number of queries."""
    parties = AgreementParty.objects.select_related("organization").only(
        "id", "agreement_id", "organization_id", "organization__name", "role"
    )
    return (
        agreement_list_for_user(user=user)
        .only(*AGREEMENT_API_FIELDS)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("parties", queryset=parties),
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.filter(is_current=True).only(
                    "id", "agreement_id", "number"
                ),
                to_attr="current_versions",
            ),
        )
    )


@dataclass(frozen=True)
class PartyWindow:
    """What of an agreement's past a party-only viewer sees: the owner's internal phase
    (drafts, internal and legal reviews) stays inside the owner.

    ``since`` is the first status change into negotiation (None: the agreement never went
    to the parties, so none of its past is theirs); ``first_version`` the number of the
    version that was current then (versions before it are internal drafts).
    """

    since: AgreementStatusChange | None
    first_version: int | None

    def shows_change(self, change: AgreementStatusChange) -> bool:
        if self.since is None:
            return False
        return (change.at, change.pk) >= (self.since.at, self.since.pk)

    def shows_version(self, number: int) -> bool:
        return self.first_version is not None and number >= self.first_version


_WINDOW_CACHE = "_party_windows"


def agreement_party_window(*, user: Any, agreement: Agreement) -> PartyWindow | None:
    """``None`` when the user sees the whole agreement (a member of the owner, or of one of
    its ancestors, or a superuser); otherwise what a member of a party sees of its past.

    The one rule behind history, field history, versions, diff, timeline and exports;
    cached on the agreement object (two queries the first time, for party viewers only).
    """
    scope = org_scope_for_user(user)
    if scope.everything or agreement.owning_organization_id in scope.ids:
        return None
    cache: dict[Any, PartyWindow] = agreement.__dict__.setdefault(_WINDOW_CACHE, {})
    key = getattr(user, "pk", None)
    if key in cache:
        return cache[key]
    since = (
        AgreementStatusChange.objects.filter(
            agreement=agreement, to_status=AgreementStatus.NEGOTIATION
        )
        .order_by("at", "id")
        .first()
    )
    first_version = None
    if since is not None:
        current_then = (
            AgreementVersion.objects.filter(agreement=agreement, created_at__lte=since.at)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        # No version before negotiation (rows made outside the services): all are later.
        first_version = current_then if current_then is not None else 1
    cache[key] = window = PartyWindow(since=since, first_version=first_version)
    return window


def agreement_get_for_user(*, user: Any, pk: Any) -> Agreement:
    """One visible agreement, or ``Http404`` (an invisible one does not exist for the user)."""
    try:
        return agreement_list_for_user(user=user).get(pk=int(pk))
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("تفاهم‌نامه پیدا نشد.") from exc


def user_can_edit(*, user: Any, agreement: Agreement) -> bool:
    """Staff (or more) of the owning organisation write fields, versions and parties."""
    return org_scope_for_user(user).has_role(agreement.owning_organization_id, Role.STAFF)


def approvable_parties(*, user: Any, agreement: Agreement) -> list[AgreementParty]:
    """Parties whose approval the user may record: a manager of the party, or of the owner
    (recording an approval received in writing). Uses the prefetched parties."""
    scope = org_scope_for_user(user)
    owner_manager = scope.has_role(agreement.owning_organization_id, Role.MANAGER)
    return [
        party
        for party in agreement.parties.all()
        if owner_manager or scope.has_role(party.organization_id, Role.MANAGER)
    ]


def agreement_party_get(*, agreement: Agreement, pk: Any) -> AgreementParty:
    """One party of an agreement the caller already found visible, or ``Http404``."""
    try:
        return AgreementParty.objects.select_related("organization").get(
            agreement=agreement, pk=int(pk)
        )
    except (AgreementParty.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("این طرف در این تفاهم‌نامه پیدا نشد.") from exc


def agreement_parties(*, agreement: Agreement) -> QuerySet[AgreementParty]:
    return AgreementParty.objects.filter(agreement=agreement).select_related("organization")
