"""Reads of agreements, always through :func:`agreement_list_for_user` (the one scope rule)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from organizations.choices import Role
from organizations.scoping import org_scope_for_user, scope_q
from organizations.selectors import user_display_name
from tracker.expressions import ProbedExists
from tracker.jalali import format_date, to_tehran
from tracker.text import search_filter, to_persian_digits

from . import workflow
from .choices import INTERNAL_STATUSES, AgreementStatus, PartyRole
from .diff import DiffResult, diff_texts
from .models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)

SEARCH_FIELDS = ("reference_number", "title", "subject")


def tehran_today(now: datetime | None = None) -> date:
    """Today's date in Asia/Tehran (the date every date rule of agreements uses)."""
    return to_tehran(now or timezone.now()).date()


# --- Visibility -------------------------------------------------------------------------------


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
    return search_filter(qs, search, SEARCH_FIELDS)


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


# --- Versions and diff ------------------------------------------------------------------------


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


# --- Workflow ---------------------------------------------------------------------------------


def agreement_workflow_facts(
    *, agreement: Agreement, now: datetime | None = None, reason: str = ""
) -> workflow.WorkflowFacts:
    """The snapshot the guards read (three queries: current version, parties, approvals)."""
    current = AgreementVersion.objects.filter(agreement=agreement, is_current=True).first()
    parties = list(
        AgreementParty.objects.filter(agreement=agreement).select_related("organization")
    )
    approved: set[int] = set()
    if current is not None:
        approved = set(
            AgreementApproval.objects.filter(version=current).values_list("party_id", flat=True)
        )
    return workflow.WorkflowFacts(
        today=tehran_today(now),
        has_current_version=current is not None,
        principal_roles=frozenset(
            p.role for p in parties if p.role in (PartyRole.FIRST_PARTY, PartyRole.SECOND_PARTY)
        ),
        unapproved_parties=tuple(p.organization.name for p in parties if p.pk not in approved),
        signed_date=agreement.signed_date,
        has_signed_scan=bool(agreement.signed_scan),
        effective_date=agreement.effective_date,
        expiry_date=agreement.expiry_date,
        reason=reason,
    )


@dataclass(frozen=True)
class AvailableTransition:
    transition: workflow.Transition
    blockers: list[str]

    @property
    def allowed(self) -> bool:
        return not self.blockers


def agreement_transitions_for_user(
    *, user: Any, agreement: Agreement, now: datetime | None = None
) -> list[AvailableTransition]:
    """The moves out of the current status that the user's role allows, each with the
    guards that still block it (a required reason is not a blocker here: it is asked for)."""
    scope = org_scope_for_user(user)
    mine = [
        t
        for t in workflow.outgoing(agreement.status)
        if scope.has_role(agreement.owning_organization_id, t.role)
    ]
    if not mine:
        return []
    facts = agreement_workflow_facts(agreement=agreement, now=now, reason="-")
    return [AvailableTransition(t, t.blockers(facts)) for t in mine]


# --- History and timeline ---------------------------------------------------------------------


def agreement_status_changes(*, user: Any, agreement: Agreement) -> QuerySet[AgreementStatusChange]:
    """The status history the user may see, oldest first: a party-only viewer sees it from
    the first entry into negotiation on (internal and legal review reasons stay inside)."""
    qs = AgreementStatusChange.objects.filter(agreement=agreement).select_related("actor")
    window = agreement_party_window(user=user, agreement=agreement)
    if window is None:
        return qs
    since = window.since
    if since is None:
        return qs.none()
    return qs.filter(Q(at__gt=since.at) | Q(at=since.at, pk__gte=since.pk))


def agreement_field_history(*, user: Any, agreement: Agreement) -> list[dict[str, Any]]:
    """Every recorded change of the agreement's fields the user may see, oldest first: who,
    when, what. A party-only viewer sees it from the save that moved the agreement into
    negotiation on; that first entry shows no field values (they were internal)."""
    records = list(
        agreement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    window = agreement_party_window(user=user, agreement=agreement)
    hidden_before = 0
    if window is not None:
        entered = next(
            (i for i, r in enumerate(records) if r.status == AgreementStatus.NEGOTIATION),
            None,
        )
        if window.since is None or entered is None:
            return []
        hidden_before = entered
    labels = {f.name: str(f.verbose_name) for f in Agreement._meta.fields}
    changes: list[dict[str, Any]] = []
    previous = None
    for index, record in enumerate(records):
        if index < hidden_before:
            previous = record
            continue
        if previous is None or (hidden_before and index == hidden_before):
            fields: list[dict[str, Any]] = []
        else:
            delta = record.diff_against(previous)
            fields = [
                {
                    "field": c.field,
                    "label": labels.get(c.field, c.field),
                    "old": _plain(c.old),
                    "new": _plain(c.new),
                }
                for c in delta.changes
                if c.field not in ("updated_at", "lock_version")
            ]
        changes.append(
            {
                "at": record.history_date,
                "user": str(record.history_user) if record.history_user else "سامانه",
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "fields": fields,
            }
        )
        previous = record
    return changes


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _related_rows(agreement: Agreement, user: Any) -> tuple[list[Any], list[Any]]:
    """Meetings that discussed the agreement and action items that point at it, limited
    to what the user may see of meetings (when the meetings app provides its selector)."""
    meetings: list[Any] = []
    items: list[Any] = []
    if not apps.is_installed("meetings"):
        return meetings, items
    meeting_selectors: Any
    try:
        meeting_selectors = importlib.import_module("meetings.selectors")
    except ImportError:  # the meetings app may not ship its selectors yet
        meeting_selectors = None
    if hasattr(agreement, "meetings"):
        qs = agreement.meetings.all()
        visible = getattr(meeting_selectors, "meeting_list_for_user", None)
        if visible is not None:
            qs = qs.filter(pk__in=visible(user=user).values("pk"))
        meetings = list(qs.order_by("starts_at") if _has_field(qs.model, "starts_at") else qs)
    if hasattr(agreement, "action_items"):
        item_qs = agreement.action_items.all()
        if _has_field(item_qs.model, "meeting"):
            item_qs = item_qs.select_related("meeting")
            visible = getattr(meeting_selectors, "meeting_list_for_user", None)
            if visible is not None:
                item_qs = item_qs.filter(meeting__in=visible(user=user).values("pk"))
        items = list(item_qs)
    return meetings, items


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _first_attr(obj: Any, *names: str) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None


def agreement_timeline(*, user: Any, agreement: Agreement) -> list[dict[str, Any]]:
    """One list of status changes, versions, approvals, meetings and action items,
    newest first; each event has ``at`` (date or datetime), ``kind``, ``title``, ``url``.
    What a party-only viewer sees of the internal phase is cut as in
    :func:`agreement_party_window` (status changes and versions from negotiation on)."""
    events: list[dict[str, Any]] = []
    for change in agreement_status_changes(user=user, agreement=agreement):
        from_label = AgreementStatus(change.from_status).label if change.from_status else ""
        title = (
            f"{from_label} ← {change.get_to_status_display()}"
            if from_label
            else f"ایجاد در وضعیت {change.get_to_status_display()}"
        )
        events.append(
            {
                "at": change.at,
                "kind": "status",
                "title": title,
                "who": change.actor_label,
                "note": change.reason,
                "url": "",
            }
        )
    for version in agreement_versions(user=user, agreement=agreement):
        events.append(
            {
                "at": version.created_at,
                "kind": "version",
                "title": f"نسخه {to_persian_digits(str(version.number))} متن",
                "who": user_display_name(version.author) if version.author else "سامانه",
                "note": version.change_note,
                "url": "",
            }
        )
    for approval in agreement_approvals(user=user, agreement=agreement):
        events.append(
            {
                "at": approval.approved_at,
                "kind": "approval",
                "title": (
                    f"تأیید نسخه {to_persian_digits(str(approval.version.number))} "
                    f"توسط {approval.party.organization.name}"
                ),
                "who": user_display_name(approval.approved_by),
                "note": approval.note,
                "url": "",
            }
        )
    meetings, items = _related_rows(agreement, user)
    for meeting in meetings:
        at = _first_attr(meeting, "starts_at", "start", "created_at")
        events.append(
            {
                "at": at,
                "kind": "meeting",
                "title": f"جلسه: {meeting}",
                "who": "",
                "note": "",
                "url": meeting.get_absolute_url() if hasattr(meeting, "get_absolute_url") else "",
            }
        )
    for item in items:
        at = _first_attr(item, "due_date", "created_at")
        events.append(
            {
                "at": at,
                "kind": "action_item",
                "title": f"اقدام: {item}",
                "who": "",
                "note": getattr(item, "get_status_display", lambda: "")(),
                "url": item.get_absolute_url() if hasattr(item, "get_absolute_url") else "",
            }
        )

    def sort_key(event: dict[str, Any]) -> datetime:
        at = event["at"]
        if at is None:
            return datetime.min.replace(tzinfo=timezone.get_current_timezone())
        if isinstance(at, datetime):
            return at
        return datetime.combine(at, datetime.min.time(), tzinfo=timezone.get_current_timezone())

    events.sort(key=sort_key, reverse=True)
    return events


# --- Home page ---------------------------------------------------------------------------------


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
