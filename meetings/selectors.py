"""Reads of meetings and action items, always through the user's scope.

A meeting is visible to members of its host and of every participating organisation;
action items, attendance, agenda and decisions follow their meeting.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from agreements.selectors import TimelineRow, agreement_list_for_user
from organizations.choices import Role
from organizations.scoping import org_scope_for_user, scope_q
from tracker.hashing import secret_hash
from tracker.jalali import format_date
from tracker.search import indexed_search
from tracker.text import to_persian_digits

from .choices import ActionItemStatus, InvitationResponse, MeetingStatus
from .models import (
    ActionItem,
    Attendance,
    CalendarFeedToken,
    Meeting,
    MeetingSeries,
    ParticipantResponse,
)

# ``q`` matches ``search_text`` (tracker/search.py), kept by the triggers of
# meetings/migrations/0006_search_text.py: a meeting's title, location, host name,
# attendees, statements (the hook described there) and minutes; an action item's
# description, owners' names and completion note.


def meeting_list_for_user(*, user: Any) -> QuerySet[Meeting]:
    """Meetings in ``user``'s lists: hosted by one of their organisations, or naming one of
    them as a participant that has not declined the invitation. A meeting read from a report
    and not yet confirmed (``needs_review``) is its host's only. Lists, calendars, the
    dashboard and action items all start here, so a declined or unconfirmed meeting leaves
    them all."""
    qs = Meeting.objects.select_related("host", "series")
    scope = org_scope_for_user(user)
    if scope.everything:
        return qs
    ids = scope.id_list
    declined = ParticipantResponse.objects.filter(
        meeting_id=OuterRef("meeting_id"),
        organization_id=OuterRef("organization_id"),
        response=InvitationResponse.DECLINED,
    )
    # ``pk IN (…)`` rather than a join, for the reason scope_queryset gives (probed row by
    # row under the OR, and no duplicate rows). ``needs_review`` is tested on the outer row:
    # inside the subquery it joined every participation in scope to its meeting (717 of the
    # first page's 843 ms at scale 10, docs/performance.md).
    taking_part = (
        Meeting.participants.through.objects.filter(organization_id__anyof=ids)
        .exclude(Exists(declined))
        .values("meeting_id")
    )
    return qs.filter(Q(host_id__anyof=ids) | (Q(needs_review=False) & Q(pk__in=taking_part)))


def meeting_named_list_for_user(*, user: Any) -> QuerySet[Meeting]:
    """Meetings that name one of ``user``'s organisations (host or participant), declined
    invitations included: the meeting page and its answer to the invitation, so a declined
    meeting can be accepted again. Never for lists. An unconfirmed meeting read from a report
    is still its host's only."""
    qs = Meeting.objects.select_related("host", "series")
    hosted = scope_q(user, "host")
    if hosted is None:
        return qs
    participating = scope_q(user, "participants") or Q()
    # The same pk-IN-subquery shape as scope_queryset (see there why not EXISTS).
    visible = Meeting.objects.filter(hosted | (participating & Q(needs_review=False)))
    return qs.filter(pk__in=visible.values("pk"))


def meeting_list_page_for_user(*, user: Any) -> QuerySet[Meeting]:
    """The list rows: visible meetings with their participants (one extra query per page)."""
    return meeting_list_for_user(user=user).prefetch_related("participants")


# The list rows of the API: only the columns its serializer reads (no minutes, notes or other
# wide text), the host's name, and the participants as bare ids.
MEETING_API_LIST_FIELDS = (
    "id",
    "title",
    "kind",
    "status",
    "start",
    "end",
    "location",
    "host_id",
    "host__name",
    "series_id",
    "needs_review",
    "updated_at",
)


def meeting_api_list_for_user(*, user: Any) -> QuerySet[Meeting]:
    """The API list rows: visible meetings, narrow columns, participant ids prefetched (one
    extra query per page, reading only the ids)."""
    from organizations.models import Organization

    return (
        meeting_list_for_user(user=user)
        .select_related(None)
        .select_related("host")
        .only(*MEETING_API_LIST_FIELDS)
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Organization.objects.only("id"),
                to_attr="participant_rows",
            )
        )
    )


def visible_agreements(*, user: Any) -> QuerySet[Any]:
    """The agreements ``user`` may see, bare (no prefetches): the one rule every link from a
    meeting or an action item to an agreement is intersected with. A meeting is visible to
    more organisations than its agreements (a draft stays inside its owner)."""
    return agreement_list_for_user(user=user).select_related(None).prefetch_related(None)


def _with_visible_agreement(qs: QuerySet[ActionItem], user: Any) -> QuerySet[ActionItem]:
    """Annotate ``visible_agreement_id``: the item's agreement, or None when the user may not
    see it (a subquery in the same SELECT: no extra query)."""
    visible = visible_agreements(user=user).filter(pk=OuterRef("agreement_id")).values("pk")[:1]
    return qs.annotate(visible_agreement_id=Subquery(visible))


def agreement_timeline_rows(*, user: Any, agreement: Agreement) -> list[TimelineRow]:
    """The meetings that discussed ``agreement`` (at their start) and the action items that
    point at it (at their due date), for its timeline: only those of meetings ``user`` may
    see. Two queries; registered with agreements in ``MeetingsConfig.ready()``."""
    visible = meeting_list_for_user(user=user).values("pk")
    meetings = Meeting.objects.filter(agreements=agreement, pk__in=visible)
    items = ActionItem.objects.filter(agreement=agreement, meeting__in=visible)
    rows = [
        TimelineRow(
            at=meeting.start,
            kind="meeting",
            title=f"جلسه: {meeting}",
            url=meeting.get_absolute_url(),
        )
        for meeting in meetings
    ]
    rows.extend(
        TimelineRow(
            at=item.due_date,
            kind="action_item",
            title=f"اقدام: {item}",
            note=item.get_status_display(),
        )
        for item in items
    )
    return rows


def meeting_detail_list_for_user(*, user: Any) -> QuerySet[Meeting]:
    """Meetings naming the user's organisations (declined ones too: see
    :func:`meeting_named_list_for_user`) with everything their detail page, API and minutes
    show prefetched.

    Linked agreements are ``visible_agreements`` (a list): only those the user may see.
    Never read ``meeting.agreements`` for display: it holds drafts of other organisations.
    """
    return (
        meeting_named_list_for_user(user=user)
        .select_related("minutes_approved_by", "created_by")
        .prefetch_related(
            "participants",
            Prefetch(
                "participant_responses",
                queryset=ParticipantResponse.objects.select_related("organization").order_by(
                    "organization__name", "organization_id"
                ),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "organization"),
            ),
            "agenda_items",
            Prefetch("decisions", queryset=_decisions()),
            Prefetch("statements", queryset=_statements()),
            Prefetch("action_items", queryset=_with_visible_agreement(action_items_base(), user)),
            Prefetch("addenda", queryset=_addenda()),
            Prefetch(
                "agreements",
                queryset=visible_agreements(user=user).order_by("reference_number", "id"),
                to_attr="visible_agreements",
            ),
        )
    )


def meeting_get_for_user(*, user: Any, pk: int) -> Meeting:
    """One meeting naming the user's organisations, prefetched (a declined invitation too,
    so it can be accepted again); ``Meeting.DoesNotExist`` (404) otherwise."""
    return meeting_detail_list_for_user(user=user).get(pk=pk)


def declined_organization_ids(meeting: Meeting) -> set[int]:
    """The participants that declined ``meeting`` (reads the prefetched responses)."""
    return {
        r.organization_id
        for r in meeting.participant_responses.all()
        if r.response == InvitationResponse.DECLINED
    }


def invitation_answerable_ids(*, user: Any, meeting: Meeting) -> list[int]:
    """The participant organisations of ``meeting`` (not its host) in which ``user`` is
    staff or above: those whose answer to the invitation the user may give. Reads the
    prefetched participants."""
    scope = org_scope_for_user(user)
    return sorted(
        org.pk
        for org in meeting.participants.all()
        if org.pk != meeting.host_id and scope.has_role(org.pk, Role.STAFF)
    )


def _decisions() -> QuerySet[Any]:
    from .models import Decision

    return Decision.objects.select_related("agenda_item")


def _statements() -> QuerySet[Any]:
    from .models import Statement

    return Statement.objects.select_related("speaker__person")


def _addenda() -> QuerySet[Any]:
    from .models import MinutesAddendum

    return MinutesAddendum.objects.select_related("author")


def action_items_base() -> QuerySet[ActionItem]:
    """Action items with what their rows show. Not scoped and without the agreement: read
    items through :func:`action_item_list_for_user` (``visible_agreement_id``)."""
    return ActionItem.objects.select_related(
        "meeting", "meeting__host", "owner_person", "owner_organization", "decision"
    )


def overdue_q(today: date) -> Q:
    """Open and due before ``today`` (Tehran): a due date ends at 24:00 Tehran time."""
    return Q(status=ActionItemStatus.OPEN, due_date__lt=today)


def action_item_scope_for_user(*, user: Any) -> QuerySet[ActionItem]:
    """Action items of the meetings visible to ``user``, bare: no joins and no
    ``visible_agreement_id`` (building that annotation costs a second agreement-visibility
    expression). For counts and aggregates that never show the agreement."""
    visible = meeting_list_for_user(user=user).values("pk")
    return ActionItem.objects.filter(meeting__in=visible)


def action_item_list_for_user(*, user: Any) -> QuerySet[ActionItem]:
    """Action items of the meetings visible to ``user``, each with ``visible_agreement_id``
    (None when the user may not see the agreement the item points at).

    Declining a meeting does not drop the work given to the organisation: the items one of
    the user's organisations owns (itself or through its person) on a meeting that names
    it stay in its lists even after it declined the invitation (its reminders too:
    notifications/planners.py)."""
    scope = org_scope_for_user(user)
    if scope.everything:  # every meeting, as meeting_list_for_user gives
        return _with_visible_agreement(action_items_base(), user)
    ids = scope.id_list
    owned = Q(owner_organization_id__anyof=ids) | Q(owner_person__organization_id__anyof=ids)
    # The rules of meeting_list_for_user and meeting_named_list_for_user written on the item's
    # own meeting join, not as ``meeting IN (visible meetings)``: that nested the meetings'
    # scope inside the items' and read every visible meeting for each page (2.8 s at scale 10).
    participations = Meeting.participants.through.objects.filter(organization_id__anyof=ids)
    declined = ParticipantResponse.objects.filter(
        meeting_id=OuterRef("meeting_id"),
        organization_id=OuterRef("organization_id"),
        response=InvitationResponse.DECLINED,
    )
    taking_part = participations.exclude(Exists(declined)).values("meeting_id")
    named = participations.values("meeting_id")
    return _with_visible_agreement(
        action_items_base().filter(
            Q(meeting__host_id__anyof=ids)
            | (
                Q(meeting__needs_review=False)
                & (Q(meeting_id__in=taking_part) | (owned & Q(meeting_id__in=named)))
            )
        ),
        user,
    )


# What the API's action-item rows read: no meeting minutes, no other wide column of the joins.
ACTION_ITEM_API_FIELDS = (
    "id",
    "meeting_id",
    "meeting__title",
    "decision_id",
    "description",
    "owner_person_id",
    "owner_person__full_name",
    "owner_organization_id",
    "owner_organization__name",
    "due_date",
    "status",
    "completed_at",
    "completion_note",
    "updated_at",
)


def action_item_api_list_for_user(*, user: Any) -> QuerySet[ActionItem]:
    """:func:`action_item_list_for_user` for reading only (API list and detail): the three
    joins the rows show and only their columns. Not for writes (deferred fields)."""
    return (
        action_item_list_for_user(user=user)
        .select_related(None)
        .select_related("meeting", "owner_person", "owner_organization")
        .only(*ACTION_ITEM_API_FIELDS)
    )


def action_item_get_for_user(*, user: Any, pk: int) -> ActionItem:
    return action_item_list_for_user(user=user).get(pk=pk)


def action_items_overdue(
    qs: QuerySet[ActionItem], *, today: date | None = None
) -> QuerySet[ActionItem]:
    return qs.filter(overdue_q(today or timezone.localdate()))


def action_items_mine(qs: QuerySet[ActionItem], *, user: Any) -> QuerySet[ActionItem]:
    """Items the user owns as a person."""
    return qs.filter(owner_person__user=user)


def action_items_of_my_organizations(
    qs: QuerySet[ActionItem], *, user: Any
) -> QuerySet[ActionItem]:
    """Items owned by one of the user's organisations (or their descendants)."""
    scope = org_scope_for_user(user)
    if scope.everything:
        return qs.filter(owner_organization__isnull=False)
    return qs.filter(owner_organization_id__anyof=scope.id_list)


def carried_over_action_items(*, user: Any, meeting: Meeting) -> QuerySet[ActionItem]:
    """Open items of earlier meetings of the same series or the same agreement."""
    link = Q(pk__in=[])
    if meeting.series_id is not None:
        link |= Q(meeting__series_id=meeting.series_id)
    # Only through agreements the user may see (a draft of another organisation links
    # nothing for them).
    agreement_ids = visible_agreements(user=user).filter(meetings=meeting).values("pk")
    link |= Q(meeting__agreements__in=agreement_ids) | Q(agreement_id__in=agreement_ids)
    # The agreement path crosses a to-many relation: a subquery on ids keeps rows unique.
    link = Q(pk__in=ActionItem.objects.filter(link).values("pk"))
    return (
        action_item_list_for_user(user=user)
        .filter(link, status=ActionItemStatus.OPEN, meeting__start__lt=meeting.start)
        .exclude(meeting=meeting)
        .order_by("due_date", "id")
    )


def series_list_for_user(*, user: Any) -> QuerySet[MeetingSeries]:
    """Series with at least one meeting the user sees."""
    visible = meeting_list_for_user(user=user).filter(series=OuterRef("pk"))
    return MeetingSeries.objects.filter(Exists(visible)).order_by("title", "id")


def meeting_search(qs: QuerySet[Meeting], query: str) -> QuerySet[Meeting]:
    return indexed_search(qs, query)


def action_item_search(qs: QuerySet[ActionItem], query: str) -> QuerySet[ActionItem]:
    return indexed_search(qs, query)


def meetings_for_calendar_feed(*, user: Any, today: date | None = None) -> QuerySet[Meeting]:
    """The user's calendar: visible meetings from 180 days back on (cancelled included, so
    subscribed calendars learn of the cancellation)."""
    since = (today or timezone.localdate()) - timedelta(days=180)
    return meeting_list_for_user(user=user).filter(start__date__gte=since).order_by("start", "id")


def home_summary_for_user(*, user: Any) -> dict[str, Any]:
    """The home page section: the next meetings and the overdue action items count."""
    now = timezone.now()
    upcoming = list(
        meeting_list_for_user(user=user)
        .filter(start__gte=now, status=MeetingStatus.PLANNED)
        .order_by("start", "id")[:5]
    )
    overdue = action_items_overdue(action_item_list_for_user(user=user)).count()
    items = [
        {
            "url": m.get_absolute_url(),
            "label": m.title,
            "note": format_date(m.start, "weekday"),
        }
        for m in upcoming
    ]
    if overdue:
        items.append(
            {
                "url": reverse("meetings:action_item_list") + "?view=overdue",
                "label": "اقدامات معوق",
                "note": f"{to_persian_digits(str(overdue))} مورد",
            }
        )
    return {
        "title": "جلسات پیش رو",
        "items": items,
        "empty": "جلسه برنامه‌ریزی‌شده‌ای پیش رو نیست.",
        "more_url": reverse("meetings:meeting_list"),
    }


def calendar_feed_user(*, key: str) -> Any | None:
    """The active user whose live feed key this is, or None (revoked or unknown: 404)."""
    token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(key_hash=secret_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def calendar_feed_token_for_user(*, user: Any) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()
