"""What every aggregate shares: the filters, the answer's frame, and the scoped rows.

Every aggregate starts from the owning app's ``*_list_for_user`` selector (the one scope
rule of that app) and narrows it here by the common organisation/province filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.choices import AgreementStatus
from agreements.models import Agreement, AgreementParty
from agreements.selectors import agreement_list_for_user
from meetings.choices import MeetingStatus
from meetings.models import ActionItem, Meeting
from meetings.selectors import action_item_scope_for_user, meeting_list_for_user
from tracker.jalali import TEHRAN, jalali_string

CALENDAR = "jalali"
CALENDAR_CLDR = "persian"
TIME_ZONE = "Asia/Tehran"
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
#: Agreements in these states have an expiry that still matters.
LIVE_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE)
#: States reached only through signature: the timeline counts these as signed (a draft with
#: a ``signed_date`` typed in ahead is not a signed agreement).
SIGNED_STATUSES = (
    AgreementStatus.SIGNED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.EXPIRED,
    AgreementStatus.TERMINATED,
)


@dataclass(frozen=True)
class StatsFilters:
    """The filters every aggregate accepts (already validated)."""

    organization: int | None = None
    province: str = ""
    date_from: date | None = None
    date_to: date | None = None
    days: int = 30
    limit: int = 50
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "province": self.province or None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_from_jalali": jalali_string(self.date_from),
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "date_to_jalali": jalali_string(self.date_to),
        }


def today() -> date:
    return timezone.localdate(timezone.now(), TEHRAN)


def envelope(filters: StatsFilters, **body: Any) -> dict[str, Any]:
    """The common frame of every answer: calendar, time zone, filters, then the body."""
    return {
        "calendar": CALENDAR,
        "calendar_cldr": CALENDAR_CLDR,
        "time_zone": TIME_ZONE,
        "generated_at": timezone.localtime(timezone.now(), TEHRAN).isoformat(),
        "filters": filters.as_dict(),
        **body,
    }


def _org_q(filters: StatsFilters, *paths: str) -> Q:
    """Rows whose organisation at any of ``paths`` matches the organisation/province filter."""
    q = Q()
    if filters.organization:
        org_q = Q(pk__in=[])
        for path in paths:
            org_q |= Q(**{f"{path}_id": filters.organization})
        q &= org_q
    if filters.province:
        prov_q = Q(pk__in=[])
        for path in paths:
            prov_q |= Q(**{f"{path}__province": filters.province})
        q &= prov_q
    return q


def _party_q(filters: StatsFilters) -> Q:
    """Agreements where the filtered organisation (or one of the province) is a party."""
    if not filters.organization and not filters.province:
        return Q()
    parties = AgreementParty.objects.filter(agreement_id=OuterRef("pk"))
    if filters.organization:
        parties = parties.filter(organization_id=filters.organization)
    if filters.province:
        parties = parties.filter(organization__province=filters.province)
    return Q(Exists(parties))


def summarised(filters: StatsFilters) -> bool:
    """Whether an aggregate reads the maintained summaries: they are kept per viewer's
    scope, so an organisation or province filter (a narrower set of rows) reads the rows."""
    return not filters.organization and not filters.province


def agreements_for(user: Any, filters: StatsFilters) -> QuerySet[Agreement]:
    """Visible agreements owned by, or with as a party, the filtered organisation."""
    qs = agreement_list_for_user(user=user).select_related(None).prefetch_related(None)
    if filters.organization or filters.province:
        qs = qs.filter(_org_q(filters, "owning_organization") | _party_q(filters))
    return qs.order_by()


def meetings_for(user: Any, filters: StatsFilters) -> QuerySet[Meeting]:
    qs = meeting_list_for_user(user=user).select_related(None)
    if filters.organization or filters.province:
        participants = Meeting.participants.through.objects.filter(meeting_id=OuterRef("pk"))
        if filters.organization:
            participants = participants.filter(organization_id=filters.organization)
        if filters.province:
            participants = participants.filter(organization__province=filters.province)
        qs = qs.filter(_org_q(filters, "host") | Q(Exists(participants)))
    return qs.order_by()


def action_items_for(user: Any, filters: StatsFilters) -> QuerySet[ActionItem]:
    """Visible items owned by the filtered organisation (itself, or through its person when
    no organisation owns the item), as the action-item list's ``organization`` filter and
    ``by_organization`` count them; a province keeps the list's rule too (owned by, or of a
    meeting hosted in, the province)."""
    qs = action_item_scope_for_user(user=user)
    if filters.organization:
        qs = qs.filter(
            Q(owner_organization_id=filters.organization)
            | Q(owner_organization__isnull=True, owner_person__organization_id=filters.organization)
        )
    if filters.province:
        qs = qs.filter(
            _org_q(replace(filters, organization=None), "owner_organization", "meeting__host")
        )
    return qs.order_by()
