"""Writes of meetings: log, edit, the status moves, addenda and agreement links. Each is
one transaction that locks the meeting, checks the actor's role and audits itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import require_role
from tracker.exceptions import ApplicationError, ConflictError
from tracker.text import standardize

from ..choices import (
    EDITABLE_STATUSES,
    MEETING_TRANSITIONS,
    MeetingEventKind,
    MeetingKind,
    MeetingStatus,
)
from ..models import AgendaItem, Decision, Meeting, MeetingSeries, MinutesAddendum
from ..selectors import meeting_list_for_user
from .inputs import (
    MEETING_FIELDS,
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    Errors,
    StatementInput,
)
from .rows import (
    lock_meeting,
    record_event,
    statements_capture,
    statements_remap,
    sync_participants,
    write_action_items,
    write_agenda,
    write_attendances,
    write_decisions,
    write_statements,
)
from .validation import (
    add_error,
    check_action_items,
    check_agenda,
    check_attendances,
    check_decisions,
    check_declined_attendances,
    check_host,
    check_meeting_fields,
    check_organization,
    check_series,
    check_statements,
    local_date,
    visible_agreement_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from agreements.models import Agreement

#: Names stored in the standard Persian spelling (tracker.persian.standardize).
STANDARD_TEXT_FIELDS = ("title", "location", "source_publication")


def meeting_log_errors(
    *,
    actor: User,
    title: str = "",
    host: Organization | None = None,
    start: datetime | None = None,
    kind: str = MeetingKind.COORDINATION,
    status: str = MeetingStatus.PLANNED,
    end: datetime | None = None,
    participants: Sequence[Organization] = (),
    series: MeetingSeries | None = None,
    new_series_title: str = "",
    agreements: Sequence[Agreement] = (),
    minutes: str = "",
    attendances: Sequence[AttendanceInput] = (),
    agenda_items: Sequence[AgendaItemInput] = (),
    decisions: Sequence[DecisionInput] = (),
    action_items: Sequence[ActionItemInput] = (),
    statements: Sequence[StatementInput] = (),
    now: datetime | None = None,
    **_unchecked: Any,
) -> Errors:
    """Every refusal :func:`meeting_log` would give this input, without writing anything.

    The «ثبت جلسه» page also calls it when some fields did not even parse (a date typed
    wrong), with what did: the rows' mistakes are then reported in the same round instead of
    only after the date is fixed. Values that did not parse are ``None`` and skipped.
    """
    now = now or timezone.now()
    errors: Errors = {}
    title = standardize(title)
    fields: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "start": start,
        "end": end,
        "minutes": minutes,
    }
    check_meeting_fields(errors, fields)
    check_host(errors, actor, host)
    if status not in (MeetingStatus.PLANNED, MeetingStatus.HELD):
        add_error(errors, "status", "جلسه تازه یا «برنامه‌ریزی‌شده» است یا «برگزارشده».")
    elif status == MeetingStatus.HELD and start is not None and start > now:
        add_error(errors, "status", "جلسه‌ای که هنوز شروع نشده نمی‌تواند «برگزارشده» باشد.")
    for organization in participants:
        check_organization(errors, "participants", organization)
    check_series(errors, actor, series)
    if series is not None and new_series_title.strip():
        add_error(
            errors, "new_series_title", "یا سلسله موجود را انتخاب کنید یا عنوان سلسله تازه را."
        )
    if agreements and len(visible_agreement_ids(actor, agreements)) != len(
        {a.pk for a in agreements}
    ):
        add_error(errors, "agreements", "دست‌کم یکی از تفاهم‌نامه‌ها برای شما قابل دسترسی نیست.")
    check_attendances(errors, actor, attendances)
    check_agenda(errors, agenda_items)
    check_decisions(errors, decisions, len(agenda_items))
    check_statements(errors, statements, len(attendances))
    check_action_items(
        errors,
        actor,
        action_items,
        meeting_day=local_date(start) if start is not None else None,
        decision_count=len(decisions),
    )
    return errors


@transaction.atomic
def meeting_log(
    *,
    actor: User,
    title: str,
    host: Organization,
    start: datetime,
    kind: str = MeetingKind.COORDINATION,
    status: str = MeetingStatus.PLANNED,
    end: datetime | None = None,
    location: str = "",
    participants: Sequence[Organization] = (),
    series: MeetingSeries | None = None,
    new_series_title: str = "",
    agreements: Sequence[Agreement] = (),
    minutes: str = "",
    notes: str = "",
    source_publication: str = "",
    source_issue: str = "",
    source_page: str = "",
    source_date: date | None = None,
    source_url: str = "",
    attendances: Sequence[AttendanceInput] = (),
    agenda_items: Sequence[AgendaItemInput] = (),
    decisions: Sequence[DecisionInput] = (),
    action_items: Sequence[ActionItemInput] = (),
    statements: Sequence[StatementInput] = (),
    needs_review: bool = False,
    review_items: Sequence[dict[str, Any]] = (),
    source_text: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Log a meeting with its attendance, agenda, decisions and action items, all or nothing.

    ``status`` is planned or held (a past meeting logged afterwards); approving the minutes
    is a separate step (:func:`minutes_approve`) that records who approved them.
    ``needs_review`` (with ``review_items`` and the ``source_text`` read) is for a meeting
    read from a report (``services.intake``): visible to the host only until
    :func:`meeting_confirm`.
    """
    now = now or timezone.now()
    title = standardize(title)
    errors = meeting_log_errors(
        actor=actor,
        title=title,
        host=host,
        start=start,
        kind=kind,
        status=status,
        end=end,
        participants=participants,
        series=series,
        new_series_title=new_series_title,
        agreements=agreements,
        minutes=minutes,
        attendances=attendances,
        agenda_items=agenda_items,
        decisions=decisions,
        action_items=action_items,
        statements=statements,
        now=now,
    )
    if errors:
        raise ValidationError(errors)

    if new_series_title.strip():
        series = MeetingSeries.objects.create(title=standardize(new_series_title))
    meeting = Meeting(
        title=title,
        kind=kind,
        status=status,
        start=start,
        end=end,
        location=standardize(location),
        host=host,
        series=series,
        minutes=minutes,
        notes=notes,
        source_publication=standardize(source_publication),
        source_issue=source_issue.strip(),
        source_page=source_page.strip(),
        source_date=source_date,
        source_url=source_url.strip(),
        needs_review=needs_review,
        review_items=list(review_items),
        source_text=source_text,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    meeting.full_clean(exclude=["host", "series", "created_by", "minutes_approved_by"])
    meeting.save()
    attendance_rows = write_attendances(actor, meeting, attendances)
    write_statements(meeting, statements, attendance_rows)
    sync_participants(meeting, participants)
    if agreements:
        meeting.agreements.add(*agreements)
    agenda = write_agenda(meeting, agenda_items)
    saved_decisions = write_decisions(meeting, decisions, agenda)
    write_action_items(actor, meeting, action_items, saved_decisions)
    if needs_review:
        record_event(meeting, MeetingEventKind.LOGGED, actor, source="text")
    else:
        record_event(meeting, MeetingEventKind.LOGGED, actor)
    reminders_refresh(target=meeting)
    return meeting


def _require_editable(meeting: Meeting) -> None:
    # The meeting's state refuses the edit: 409, like every state conflict.
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ConflictError(
            "صورتجلسه این جلسه تأیید شده است؛ صورتجلسه، حاضران و مصوبات دیگر تغییر نمی‌کنند. "
            "برای اصلاح، الحاقیه ثبت کنید.",
            field="status",
        )
    if meeting.status not in EDITABLE_STATUSES:
        raise ConflictError("این جلسه لغو شده است و ویرایش نمی‌شود.", field="status")


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    participants: Sequence[Organization] | None = None,
    attendances: Sequence[AttendanceInput] | None = None,
    agenda_items: Sequence[AgendaItemInput] | None = None,
    decisions: Sequence[DecisionInput] | None = None,
    statements: Sequence[StatementInput] | None = None,
    confirm_review: bool = False,
    agreements: Sequence[Agreement] | None = None,
    **fields: Any,
) -> Meeting:
    """Change a planned or held meeting. A list given replaces the current one; ``None``
    keeps it. Decisions that already have action items cannot be removed. Statements
    given name their speakers by position in the attendances given (or the current ones);
    kept statements follow their speaker into replaced attendances. ``confirm_review``
    also confirms a meeting read from a report (as :func:`meeting_confirm`), in the same
    transaction: «ذخیره و تأیید» of the review form.

    ``agreements`` replaces the linked agreements *the actor can see*: links to agreements
    hidden from them (another organisation's draft) are neither shown nor removed."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _require_editable(meeting)
    errors: Errors = {}
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} | fields
    for name in STANDARD_TEXT_FIELDS:
        merged[name] = standardize(merged[name])
    check_meeting_fields(errors, merged)
    if "host" in fields:
        check_host(errors, actor, fields["host"])
    if "series" in fields and fields["series"] != meeting.series:
        check_series(errors, actor, fields["series"])
    for organization in participants or ():
        check_organization(errors, "participants", organization)
    if attendances is not None:
        check_attendances(errors, actor, attendances)
        check_declined_attendances(errors, meeting, attendances)
    if agenda_items is not None:
        check_agenda(errors, agenda_items)
    if statements is not None:
        attendance_count = (
            len(attendances) if attendances is not None else meeting.attendances.count()
        )
        check_statements(errors, statements, attendance_count)
    agenda_count = len(agenda_items) if agenda_items is not None else meeting.agenda_items.count()
    existing_decisions = list(meeting.decisions.order_by("order"))
    if decisions is not None:
        check_decisions(errors, decisions, agenda_count)
        for gone in existing_decisions[len(decisions) :]:
            if gone.action_items.exists():
                add_error(
                    errors,
                    "decisions",
                    f"مصوبه {gone.order + 1} اقدام ثبت‌شده دارد و حذف نمی‌شود.",
                )
            elif getattr(gone, "commitments", None) is not None and gone.commitments.exists():
                # Commitments made from it (the commitments app) keep it.
                add_error(
                    errors,
                    "decisions",
                    f"مصوبه {gone.order + 1} پایه تعهد ثبت‌شده‌ای است و حذف نمی‌شود.",
                )
    linked: set[int] = set()
    if agreements is not None:
        wanted = {a.pk for a in agreements}
        if len(visible_agreement_ids(actor, agreements)) != len(wanted):
            add_error(errors, "agreements", "دست‌کم یکی از تفاهم‌نامه‌ها برای شما قابل دسترسی نیست.")
        linked = visible_agreement_ids(actor, list(meeting.agreements.all()))
    if "start" in fields:
        new_day = local_date(merged["start"])
        early = meeting.action_items.filter(due_date__lt=new_day).exists()
        if early:
            add_error(errors, "start", "مهلت برخی اقدامات این جلسه پیش از تاریخ تازه جلسه است.")
    if errors:
        raise ValidationError(errors)

    time_changed = any(
        name in fields and fields[name] != getattr(meeting, name) for name in ("start", "end")
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    for name in STANDARD_TEXT_FIELDS:
        setattr(meeting, name, merged[name])
    meeting.full_clean(exclude=["host", "series", "created_by", "minutes_approved_by"])
    meeting.save()
    if attendances is not None or statements is not None:
        # Statements point at attendance rows (PROTECT): they go first and are written
        # again against the rows that stay.
        captured = statements_capture(meeting) if statements is None else []
        meeting.statements.all().delete()
        if attendances is not None:
            meeting.attendances.all().delete()
            rows = write_attendances(actor, meeting, attendances)
        else:
            rows = list(meeting.attendances.order_by("order", "id"))
        write_statements(
            meeting,
            statements if statements is not None else statements_remap(captured, rows),
            rows,
        )
    if attendances is not None or participants is not None:
        explicit = (
            participants
            if participants is not None
            else list(
                meeting.participants.exclude(pk__in=meeting.attendances.values("organization_id"))
            )
        )
        sync_participants(meeting, explicit)
    agenda = list(meeting.agenda_items.order_by("order"))
    if agenda_items is not None:
        for i, row in enumerate(agenda_items):
            if i < len(agenda):
                agenda[i].title, agenda[i].description = standardize(row.title), row.description
                agenda[i].save(update_fields=["title", "description"])
            else:
                agenda.append(
                    AgendaItem.objects.create(
                        meeting=meeting,
                        order=i,
                        title=standardize(row.title),
                        description=row.description,
                    )
                )
    if decisions is not None:
        for i, drow in enumerate(decisions):
            target = agenda[drow.agenda_index] if drow.agenda_index is not None else None
            if i < len(existing_decisions):
                d = existing_decisions[i]
                d.text, d.agenda_item = drow.text.strip(), target
                d.save(update_fields=["text", "agenda_item"])
            else:
                Decision.objects.create(
                    meeting=meeting, order=i, text=drow.text.strip(), agenda_item=target
                )
        Decision.objects.filter(meeting=meeting, order__gte=len(decisions)).delete()
    if agenda_items is not None:
        stale = AgendaItem.objects.filter(meeting=meeting, order__gte=len(agenda_items))
        Decision.objects.filter(agenda_item__in=stale).update(agenda_item=None)
        stale.delete()
    links: dict[str, Any] = {}
    if agreements is not None:
        wanted = {a.pk for a in agreements}
        added, removed = sorted(wanted - linked), sorted(linked - wanted)
        if added:
            meeting.agreements.add(*added)
            links["agreements_linked"] = added
        if removed:
            meeting.agreements.remove(*removed)
            links["agreements_unlinked"] = removed
    changed = (
        sorted(fields)
        + (["statements"] if statements is not None else [])
        + (["agreements"] if links else [])
    )
    record_event(meeting, MeetingEventKind.UPDATED, actor, fields=changed, **links)
    if confirm_review and meeting.needs_review:
        _confirm(actor, meeting)
    elif time_changed or attendances is not None:
        reminders_refresh(target=meeting)
    return meeting


def _transition(meeting: Meeting, target: str) -> None:
    if target not in MEETING_TRANSITIONS[meeting.status]:
        raise ConflictError(
            f"جلسه در وضعیت «{MeetingStatus(meeting.status).label}» است و نمی‌تواند "
            f"«{MeetingStatus(target).label}» شود.",
            field="status",
        )


@transaction.atomic
def meeting_mark_held(*, actor: User, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Record that a planned meeting took place (not before it started)."""
    now = now or timezone.now()
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _transition(meeting, MeetingStatus.HELD)
    if meeting.start > now:
        raise ApplicationError("جلسه هنوز شروع نشده است.", field="start")
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    record_event(meeting, MeetingEventKind.HELD, actor)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: User, meeting: Meeting, reason: str = "", now: datetime | None = None
) -> Meeting:
    """Cancel a planned meeting; it stays listed (and in calendars as cancelled)."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _transition(meeting, MeetingStatus.CANCELLED)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now or timezone.now()
    meeting.cancel_reason = reason.strip()[:500]
    meeting.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    record_event(meeting, MeetingEventKind.CANCELLED, actor, reason=meeting.cancel_reason)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def minutes_approve(*, actor: User, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Approve the minutes of a held meeting (manager of the host). After this, minutes,
    attendance and decisions are read-only; corrections go into addenda."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.MANAGER)
    _transition(meeting, MeetingStatus.MINUTES_APPROVED)
    if not meeting.minutes.strip() and not meeting.decisions.exists():
        raise ApplicationError(
            "صورتجلسه خالی است: پیش از تأیید، متن صورتجلسه یا مصوبات را ثبت کنید.",
            field="minutes",
        )
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_at = now or timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(
        update_fields=["status", "minutes_approved_at", "minutes_approved_by", "updated_at"]
    )
    record_event(meeting, MeetingEventKind.MINUTES_APPROVED, actor)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def minutes_addendum_add(*, actor: User, meeting: Meeting, text: str) -> MinutesAddendum:
    """Append a dated correction, with its author, to approved minutes."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status != MeetingStatus.MINUTES_APPROVED:
        raise ConflictError(
            "الحاقیه فقط برای صورتجلسه تأییدشده است؛ پیش از تأیید، خود صورتجلسه را ویرایش کنید.",
            field="text",
        )
    if not text.strip():
        raise ValidationError({"text": "متن الحاقیه را وارد کنید."})
    addendum = MinutesAddendum(meeting=meeting, text=text.strip(), author=actor)
    addendum.full_clean(exclude=["meeting", "author"])
    addendum.save()
    record_event(meeting, MeetingEventKind.ADDENDUM, actor, addendum=addendum.pk)
    return addendum


@transaction.atomic
def meeting_link_agreement(*, actor: User, meeting: Meeting, agreement: Agreement) -> Meeting:
    """Link a meeting to an agreement (both visible to the actor, staff in the host)."""
    if not meeting_list_for_user(user=actor).filter(pk=meeting.pk).exists():
        raise ApplicationError("جلسه پیدا نشد.", field="meeting", status=404)
    if not visible_agreement_ids(actor, [agreement]):
        raise ApplicationError("تفاهم‌نامه پیدا نشد.", field="agreement", status=404)
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError("این جلسه لغو شده است.", field="status")
    meeting.agreements.add(agreement)
    record_event(meeting, MeetingEventKind.AGREEMENT_LINKED, actor, agreement=agreement.pk)
    return meeting


@transaction.atomic
def meeting_confirm(*, actor: User, meeting: Meeting) -> Meeting:
    """A person confirms a meeting read from a report: from now on the participating
    organisations see it (lists, calendars, reminders) like any other meeting."""
    meeting = lock_meeting(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if not meeting.needs_review:
        raise ConflictError("این جلسه نیازی به تأیید ندارد.", field="needs_review")
    _confirm(actor, meeting)
    return meeting


def _confirm(actor: User, meeting: Meeting) -> None:
    """The confirmation's writes, on a locked meeting (both callers locked it)."""
    meeting.needs_review = False
    meeting.save(update_fields=["needs_review", "updated_at"])
    record_event(meeting, MeetingEventKind.REVIEW_CONFIRMED, actor)
    reminders_refresh(target=meeting)
    for item in meeting.action_items.all():
        reminders_refresh(target=item)
