"""Logging a meeting: the checks of a new meeting (all refusals at once, also for the
«ثبت جلسه» page) and the one transaction that writes it with its rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.models import Organization
from tracker.persian import text_key
from tracker.text import standardize

from ..choices import MeetingEventKind, MeetingKind, MeetingStatus
from ..models import Meeting, MeetingSeries
from .inputs import (
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    Errors,
    StatementInput,
)
from .rows import (
    record_event,
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
        source_key=text_key(source_text) if source_text else "",
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
