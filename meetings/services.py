"""Writes of meetings and action items. Each is one transaction that audits itself.

Errors of nested rows are keyed ``<section>.<index>.<field>`` (0-based, the order the rows
were given in), e.g. ``attendances.1.person``: the API returns them as they are and the
«ثبت جلسه» form puts each next to its field.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import reminders_refresh
from organizations.choices import Role
from organizations.models import Organization, Person
from organizations.scoping import org_scope_for_user, require_role
from organizations.selectors import person_list_for_user
from organizations.services import person_create
from tracker.exceptions import ApplicationError, ConflictError
from tracker.jalali import format_date

from .choices import (
    ACTION_TRANSITIONS,
    EDITABLE_STATUSES,
    MAX_MINUTES_LENGTH,
    MEETING_TRANSITIONS,
    ActionItemStatus,
    AttendanceRole,
    AttendanceStatus,
    MeetingEventKind,
    MeetingKind,
    MeetingStatus,
)
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    Decision,
    Meeting,
    MeetingEvent,
    MeetingSeries,
    MinutesAddendum,
)

Errors = dict[str, list[str]]


@dataclass
class AttendanceInput:
    """One row of attendance: exactly one of ``person``, ``new_person_name``, ``group_label``."""

    person: Person | None = None
    new_person_name: str = ""
    group_label: str = ""
    organization: Organization | None = None
    position_title: str = ""
    head_count: int | None = None
    role: str = AttendanceRole.MEMBER
    status: str = AttendanceStatus.PRESENT


@dataclass
class AgendaItemInput:
    title: str
    description: str = ""


@dataclass
class DecisionInput:
    text: str
    agenda_index: int | None = None  # 0-based position in the agenda given with it


@dataclass
class ActionItemInput:
    description: str
    due_date: date
    owner_person: Person | None = None
    owner_organization: Organization | None = None
    decision_index: int | None = None  # 0-based position in the decisions given with it
    agreement: Any = None


MEETING_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "location",
    "host",
    "series",
    "minutes",
    "notes",
    "source_publication",
    "source_issue",
    "source_page",
    "source_date",
    "source_url",
)


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _local_date(value: datetime) -> date:
    return timezone.localtime(value).date()


def _event(
    meeting: Meeting,
    kind: str,
    actor: Any,
    *,
    action_item: ActionItem | None = None,
    **data: Any,
) -> None:
    MeetingEvent.objects.create(
        meeting=meeting,
        action_item=action_item,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data,
    )


def _visible_person_ids(actor: Any, people: Sequence[Person]) -> set[int]:
    ids = [p.pk for p in people]
    if not ids:
        return set()
    return set(person_list_for_user(user=actor).filter(pk__in=ids).values_list("pk", flat=True))


def _visible_agreement_ids(actor: Any, agreements: Sequence[Any]) -> set[int]:
    ids = [a.pk for a in agreements if a is not None]
    if not ids:
        return set()
    from agreements.selectors import agreement_list_for_user

    visible = agreement_list_for_user(user=actor).filter(pk__in=ids)
    return set(visible.values_list("pk", flat=True))


def _check_organization(errors: Errors, key: str, organization: Organization | None) -> None:
    if organization is not None and not organization.is_active:
        _add(errors, key, f"سازمان «{organization.name}» غیرفعال است و قابل انتخاب نیست.")


def _check_host(errors: Errors, actor: Any, host: Organization | None) -> None:
    if host is None:
        _add(errors, "host", "سازمان میزبان را انتخاب کنید.")
        return
    if not org_scope_for_user(actor).has_role(host.pk, Role.STAFF):
        _add(
            errors,
            "host",
            f"شما در «{host.name}» نقش کارشناس یا بالاتر ندارید و نمی‌توانید برای آن جلسه ثبت کنید.",
        )
    _check_organization(errors, "host", host)


def _check_meeting_fields(errors: Errors, fields: dict[str, Any]) -> None:
    if not (fields.get("title") or "").strip():
        _add(errors, "title", "عنوان جلسه را وارد کنید.")
    if fields.get("kind") not in MeetingKind.values:
        _add(errors, "kind", "نوع جلسه نامعتبر است.")
    start, end = fields.get("start"), fields.get("end")
    if start is None:
        _add(errors, "start", "زمان شروع جلسه را وارد کنید.")
    elif end is not None and end <= start:
        _add(errors, "end", "زمان پایان باید بعد از زمان شروع باشد.")
    minutes = fields.get("minutes") or ""
    if len(minutes) > MAX_MINUTES_LENGTH:
        _add(
            errors,
            "minutes",
            f"متن صورتجلسه {_grouped(len(minutes))} نویسه است؛ "
            f"بیشینه {_grouped(MAX_MINUTES_LENGTH)} نویسه است.",
        )


def _grouped(n: int) -> str:
    """``n`` with the Persian thousands separator (٬): ۲۰۰٬۰۰۱ once the digits are Persian."""
    return f"{n:,}".replace(",", "\u066c")


def _check_series(errors: Errors, actor: Any, series: MeetingSeries | None) -> None:
    if series is None:
        return
    from .selectors import series_list_for_user

    if not series_list_for_user(user=actor).filter(pk=series.pk).exists():
        _add(errors, "series", "این سلسله جلسات برای شما قابل دسترسی نیست.")


def _check_attendances(errors: Errors, actor: Any, rows: Sequence[AttendanceInput]) -> None:
    visible = _visible_person_ids(actor, [r.person for r in rows if r.person is not None])
    seen: dict[int, int] = {}
    for i, row in enumerate(rows):
        key = f"attendances.{i}"
        given = [
            bool(row.person),
            bool(row.new_person_name.strip()),
            bool(row.group_label.strip()),
        ]
        if sum(given) == 0:
            _add(
                errors,
                f"{key}.person",
                "یک شخص انتخاب کنید، نام شخص تازه یا عنوان گروه را بنویسید.",
            )
            continue
        if sum(given) > 1:
            _add(
                errors, f"{key}.person", "هر ردیف یا یک شخص است یا یک گروه؛ هر دو را با هم نپرکنید."
            )
            continue
        if row.person is not None:
            if row.person.pk not in visible:
                _add(errors, f"{key}.person", "این شخص برای شما قابل دسترسی نیست.")
            elif row.person.pk in seen:
                _add(
                    errors,
                    f"{key}.person",
                    f"«{row.person.full_name}» پیش‌تر در ردیف {seen[row.person.pk] + 1} آمده است.",
                )
            seen[row.person.pk] = i
        elif row.organization is None:
            _add(errors, f"{key}.organization", "سازمان این ردیف را انتخاب کنید.")
        if row.head_count is not None and row.head_count < 1:
            _add(errors, f"{key}.head_count", "تعداد نفرات باید دست‌کم ۱ باشد.")
        if row.head_count is not None and row.person is not None:
            _add(errors, f"{key}.head_count", "تعداد نفرات فقط برای گروه‌هاست.")
        if row.role not in AttendanceRole.values:
            _add(errors, f"{key}.role", "نقش در جلسه نامعتبر است.")
        if row.status not in AttendanceStatus.values:
            _add(errors, f"{key}.status", "وضعیت حضور نامعتبر است.")
        _check_organization(errors, f"{key}.organization", row.organization)


def _check_agenda(errors: Errors, rows: Sequence[AgendaItemInput]) -> None:
    for i, row in enumerate(rows):
        if not row.title.strip():
            _add(errors, f"agenda_items.{i}.title", "موضوع دستور جلسه را وارد کنید.")


def _check_decisions(errors: Errors, rows: Sequence[DecisionInput], agenda_count: int) -> None:
    for i, row in enumerate(rows):
        if not row.text.strip():
            _add(errors, f"decisions.{i}.text", "متن مصوبه را وارد کنید.")
        if row.agenda_index is not None and not 0 <= row.agenda_index < agenda_count:
            _add(errors, f"decisions.{i}.agenda_index", "این بند دستور جلسه وجود ندارد.")


def _check_action_item(
    errors: Errors,
    key: str,
    actor: Any,
    *,
    description: str,
    due_date: date | None,
    owner_person: Person | None,
    owner_organization: Organization | None,
    meeting_day: date | None,
    visible_people: set[int],
    visible_agreements: set[int],
    agreement: Any,
) -> None:
    if not description.strip():
        _add(errors, f"{key}description", "شرح اقدام را وارد کنید.")
    if owner_person is None and owner_organization is None:
        _add(errors, f"{key}owner_person", "مسئول اقدام (شخص یا سازمان) را تعیین کنید.")
    if owner_person is not None and owner_person.pk not in visible_people:
        _add(errors, f"{key}owner_person", "این شخص برای شما قابل دسترسی نیست.")
    _check_organization(errors, f"{key}owner_organization", owner_organization)
    if due_date is None:
        _add(errors, f"{key}due_date", "مهلت اقدام را وارد کنید.")
    elif meeting_day is not None and due_date < meeting_day:
        _add(
            errors,
            f"{key}due_date",
            f"مهلت ({format_date(due_date)}) نمی‌تواند پیش از تاریخ جلسه "
            f"({format_date(meeting_day)}) باشد.",
        )
    if agreement is not None and agreement.pk not in visible_agreements:
        _add(errors, f"{key}agreement", "این تفاهم‌نامه برای شما قابل دسترسی نیست.")


def _check_action_items(
    errors: Errors,
    actor: Any,
    rows: Sequence[ActionItemInput],
    *,
    meeting_day: date | None,
    decision_count: int,
) -> None:
    people = _visible_person_ids(actor, [r.owner_person for r in rows if r.owner_person])
    agreements = _visible_agreement_ids(actor, [r.agreement for r in rows if r.agreement])
    for i, row in enumerate(rows):
        key = f"action_items.{i}."
        _check_action_item(
            errors,
            key,
            actor,
            description=row.description,
            due_date=row.due_date,
            owner_person=row.owner_person,
            owner_organization=row.owner_organization,
            meeting_day=meeting_day,
            visible_people=people,
            visible_agreements=agreements,
            agreement=row.agreement,
        )
        if row.decision_index is not None and not 0 <= row.decision_index < decision_count:
            _add(errors, f"{key}decision_index", "این مصوبه وجود ندارد.")


def _write_attendances(
    actor: Any, meeting: Meeting, rows: Sequence[AttendanceInput]
) -> list[Attendance]:
    created = []
    for i, row in enumerate(rows):
        person = row.person
        if row.new_person_name.strip():
            try:
                person = person_create(
                    actor=actor,
                    full_name=row.new_person_name,
                    position_title=row.position_title,
                    organization=row.organization,
                )
            except ValidationError as exc:
                raise ValidationError({f"attendances.{i}.new_person_name": exc.messages}) from exc
        organization = row.organization or (person.organization if person else None)
        title = row.position_title or (person.position_title if person else "")
        created.append(
            Attendance(
                meeting=meeting,
                person=person,
                group_label="" if person else " ".join(row.group_label.split()),
                head_count=row.head_count,
                organization=organization,
                position_title=title,
                role=row.role,
                status=row.status,
                order=i,
            )
        )
    for attendance in created:
        attendance.full_clean(exclude=["meeting", "person", "organization"])
    return Attendance.objects.bulk_create(created)


def _sync_participants(meeting: Meeting, explicit: Sequence[Organization]) -> None:
    """Participants are the chosen organisations plus every attendee's organisation plus
    every action-item owner's organisation (see :func:`_add_owner_participants`)."""
    ids = {o.pk for o in explicit}
    ids |= set(meeting.attendances.values_list("organization_id", flat=True))
    for org_id, person_org_id in meeting.action_items.values_list(
        "owner_organization_id", "owner_person__organization_id"
    ):
        ids |= {org_id, person_org_id} - {None}
    ids.discard(meeting.host_id)
    meeting.participants.set(sorted(ids))


def _add_owner_participants(meeting: Meeting, rows: Sequence[Any]) -> None:
    """An action item's owner organisation, and its owner person's organisation, take part
    in the meeting: the owner is reminded of the item (its text and a link to the meeting),
    so the owner must see the meeting. Same rule as attendees' organisations. Call before
    ``reminders_refresh`` of the items."""
    ids: set[int] = set()
    for row in rows:
        if row.owner_organization is not None:
            ids.add(row.owner_organization.pk)
        if row.owner_person is not None:
            ids.add(row.owner_person.organization_id)
    ids.discard(meeting.host_id)
    if ids:
        meeting.participants.add(*sorted(ids))


def _write_agenda(meeting: Meeting, rows: Sequence[AgendaItemInput]) -> list[AgendaItem]:
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, title=r.title.strip(), description=r.description)
        for i, r in enumerate(rows)
    )


def _write_decisions(
    meeting: Meeting, rows: Sequence[DecisionInput], agenda: Sequence[AgendaItem]
) -> list[Decision]:
    return Decision.objects.bulk_create(
        Decision(
            meeting=meeting,
            order=i,
            text=r.text.strip(),
            agenda_item=agenda[r.agenda_index] if r.agenda_index is not None else None,
        )
        for i, r in enumerate(rows)
    )


def _write_action_items(
    actor: Any,
    meeting: Meeting,
    rows: Sequence[ActionItemInput],
    decisions: Sequence[Decision],
) -> list[ActionItem]:
    items = ActionItem.objects.bulk_create(
        ActionItem(
            meeting=meeting,
            decision=decisions[r.decision_index] if r.decision_index is not None else None,
            description=r.description.strip(),
            owner_person=r.owner_person,
            owner_organization=r.owner_organization,
            due_date=r.due_date,
            agreement=r.agreement,
        )
        for r in rows
    )
    _add_owner_participants(meeting, items)
    for item in items:
        reminders_refresh(target=item)
    return items


@transaction.atomic
def meeting_log(
    *,
    actor: Any,
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
    agreements: Sequence[Any] = (),
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
    now: datetime | None = None,
) -> Meeting:
    """Log a meeting with its attendance, agenda, decisions and action items, all or nothing.

    ``status`` is planned or held (a past meeting logged afterwards); approving the minutes
    is a separate step (:func:`minutes_approve`) that records who approved them.
    """
    now = now or timezone.now()
    errors: Errors = {}
    title = " ".join((title or "").split())
    fields: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "start": start,
        "end": end,
        "minutes": minutes,
    }
    _check_meeting_fields(errors, fields)
    _check_host(errors, actor, host)
    if status not in (MeetingStatus.PLANNED, MeetingStatus.HELD):
        _add(errors, "status", "جلسه تازه یا «برنامه‌ریزی‌شده» است یا «برگزارشده».")
    elif status == MeetingStatus.HELD and start is not None and start > now:
        _add(errors, "status", "جلسه‌ای که هنوز شروع نشده نمی‌تواند «برگزارشده» باشد.")
    for organization in participants:
        _check_organization(errors, "participants", organization)
    _check_series(errors, actor, series)
    if series is not None and new_series_title.strip():
        _add(errors, "new_series_title", "یا سلسله موجود را انتخاب کنید یا عنوان سلسله تازه را.")
    if agreements and len(_visible_agreement_ids(actor, agreements)) != len(
        {a.pk for a in agreements}
    ):
        _add(errors, "agreements", "دست‌کم یکی از تفاهم‌نامه‌ها برای شما قابل دسترسی نیست.")
    _check_attendances(errors, actor, attendances)
    _check_agenda(errors, agenda_items)
    _check_decisions(errors, decisions, len(agenda_items))
    _check_action_items(
        errors,
        actor,
        action_items,
        meeting_day=_local_date(start) if start is not None else None,
        decision_count=len(decisions),
    )
    if errors:
        raise ValidationError(errors)

    if new_series_title.strip():
        series = MeetingSeries.objects.create(title=" ".join(new_series_title.split()))
    meeting = Meeting(
        title=title,
        kind=kind,
        status=status,
        start=start,
        end=end,
        location=location.strip(),
        host=host,
        series=series,
        minutes=minutes,
        notes=notes,
        source_publication=source_publication.strip(),
        source_issue=source_issue.strip(),
        source_page=source_page.strip(),
        source_date=source_date,
        source_url=source_url.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    meeting.full_clean(exclude=["host", "series", "created_by", "minutes_approved_by"])
    meeting.save()
    _write_attendances(actor, meeting, attendances)
    _sync_participants(meeting, participants)
    if agreements:
        meeting.agreements.add(*agreements)
    agenda = _write_agenda(meeting, agenda_items)
    saved_decisions = _write_decisions(meeting, decisions, agenda)
    _write_action_items(actor, meeting, action_items, saved_decisions)
    _event(meeting, MeetingEventKind.LOGGED, actor)
    reminders_refresh(target=meeting)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("host").get(pk=meeting.pk)


def _require_editable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ApplicationError(
            "صورتجلسه این جلسه تأیید شده است؛ صورتجلسه، حاضران و مصوبات دیگر تغییر نمی‌کنند. "
            "برای اصلاح، الحاقیه ثبت کنید.",
            field="status",
        )
    if meeting.status not in EDITABLE_STATUSES:
        raise ApplicationError("این جلسه لغو شده است و ویرایش نمی‌شود.", field="status")


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    participants: Sequence[Organization] | None = None,
    attendances: Sequence[AttendanceInput] | None = None,
    agenda_items: Sequence[AgendaItemInput] | None = None,
    decisions: Sequence[DecisionInput] | None = None,
    **fields: Any,
) -> Meeting:
    """Change a planned or held meeting. A list given replaces the current one; ``None``
    keeps it. Decisions that already have action items cannot be removed."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    meeting = _lock(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _require_editable(meeting)
    errors: Errors = {}
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} | fields
    merged["title"] = " ".join((merged["title"] or "").split())
    _check_meeting_fields(errors, merged)
    if "host" in fields:
        _check_host(errors, actor, fields["host"])
    if "series" in fields and fields["series"] != meeting.series:
        _check_series(errors, actor, fields["series"])
    for organization in participants or ():
        _check_organization(errors, "participants", organization)
    if attendances is not None:
        _check_attendances(errors, actor, attendances)
    if agenda_items is not None:
        _check_agenda(errors, agenda_items)
    agenda_count = len(agenda_items) if agenda_items is not None else meeting.agenda_items.count()
    existing_decisions = list(meeting.decisions.order_by("order"))
    if decisions is not None:
        _check_decisions(errors, decisions, agenda_count)
        for gone in existing_decisions[len(decisions) :]:
            if gone.action_items.exists():
                _add(
                    errors,
                    "decisions",
                    f"مصوبه {gone.order + 1} اقدام ثبت‌شده دارد و حذف نمی‌شود.",
                )
    if "start" in fields:
        new_day = _local_date(merged["start"])
        early = meeting.action_items.filter(due_date__lt=new_day).exists()
        if early:
            _add(errors, "start", "مهلت برخی اقدامات این جلسه پیش از تاریخ تازه جلسه است.")
    if errors:
        raise ValidationError(errors)

    time_changed = any(
        name in fields and fields[name] != getattr(meeting, name) for name in ("start", "end")
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.title = merged["title"]
    meeting.full_clean(exclude=["host", "series", "created_by", "minutes_approved_by"])
    meeting.save()
    if attendances is not None:
        meeting.attendances.all().delete()
        _write_attendances(actor, meeting, attendances)
    if attendances is not None or participants is not None:
        explicit = (
            participants
            if participants is not None
            else list(
                meeting.participants.exclude(pk__in=meeting.attendances.values("organization_id"))
            )
        )
        _sync_participants(meeting, explicit)
    agenda = list(meeting.agenda_items.order_by("order"))
    if agenda_items is not None:
        for i, row in enumerate(agenda_items):
            if i < len(agenda):
                agenda[i].title, agenda[i].description = row.title.strip(), row.description
                agenda[i].save(update_fields=["title", "description"])
            else:
                agenda.append(
                    AgendaItem.objects.create(
                        meeting=meeting,
                        order=i,
                        title=row.title.strip(),
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
    _event(meeting, MeetingEventKind.UPDATED, actor, fields=sorted(fields))
    if time_changed or attendances is not None:
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
def meeting_mark_held(*, actor: Any, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Record that a planned meeting took place (not before it started)."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _transition(meeting, MeetingStatus.HELD)
    if meeting.start > now:
        raise ApplicationError("جلسه هنوز شروع نشده است.", field="start")
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    _event(meeting, MeetingEventKind.HELD, actor)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: Any, meeting: Meeting, reason: str = "", now: datetime | None = None
) -> Meeting:
    """Cancel a planned meeting; it stays listed (and in calendars as cancelled)."""
    meeting = _lock(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    _transition(meeting, MeetingStatus.CANCELLED)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now or timezone.now()
    meeting.cancel_reason = reason.strip()[:500]
    meeting.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _event(meeting, MeetingEventKind.CANCELLED, actor, reason=meeting.cancel_reason)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def minutes_approve(*, actor: Any, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Approve the minutes of a held meeting (manager of the host). After this, minutes,
    attendance and decisions are read-only; corrections go into addenda."""
    meeting = _lock(meeting)
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
    _event(meeting, MeetingEventKind.MINUTES_APPROVED, actor)
    reminders_refresh(target=meeting)
    return meeting


@transaction.atomic
def minutes_addendum_add(*, actor: Any, meeting: Meeting, text: str) -> MinutesAddendum:
    """Append a dated correction, with its author, to approved minutes."""
    meeting = _lock(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status != MeetingStatus.MINUTES_APPROVED:
        raise ApplicationError(
            "الحاقیه فقط برای صورتجلسه تأییدشده است؛ پیش از تأیید، خود صورتجلسه را ویرایش کنید.",
            field="text",
        )
    if not text.strip():
        raise ValidationError({"text": "متن الحاقیه را وارد کنید."})
    addendum = MinutesAddendum(meeting=meeting, text=text.strip(), author=actor)
    addendum.full_clean(exclude=["meeting", "author"])
    addendum.save()
    _event(meeting, MeetingEventKind.ADDENDUM, actor, addendum=addendum.pk)
    return addendum


@transaction.atomic
def meeting_link_agreement(*, actor: Any, meeting: Meeting, agreement: Any) -> Meeting:
    """Link a meeting to an agreement (both visible to the actor, staff in the host)."""
    from .selectors import meeting_list_for_user

    if not meeting_list_for_user(user=actor).filter(pk=meeting.pk).exists():
        raise ApplicationError("جلسه پیدا نشد.", field="meeting", status=404)
    if not _visible_agreement_ids(actor, [agreement]):
        raise ApplicationError("تفاهم‌نامه پیدا نشد.", field="agreement", status=404)
    meeting = _lock(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError("این جلسه لغو شده است.", field="status")
    meeting.agreements.add(agreement)
    _event(meeting, MeetingEventKind.AGREEMENT_LINKED, actor, agreement=agreement.pk)
    return meeting


# --- Action items -------------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *,
    actor: Any,
    meeting: Meeting,
    description: str,
    due_date: date,
    owner_person: Person | None = None,
    owner_organization: Organization | None = None,
    decision: Decision | None = None,
    agreement: Any = None,
) -> ActionItem:
    """Add an action item to a meeting (staff of the host; not on a cancelled meeting).
    The owner's organisation becomes a participant of the meeting (it is reminded of it)."""
    meeting = _lock(meeting)
    require_role(actor, meeting.host_id, Role.STAFF)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError("برای جلسه لغوشده اقدام ثبت نمی‌شود.", field="meeting")
    errors: Errors = {}
    _check_action_item(
        errors,
        "",
        actor,
        description=description,
        due_date=due_date,
        owner_person=owner_person,
        owner_organization=owner_organization,
        meeting_day=_local_date(meeting.start),
        visible_people=_visible_person_ids(actor, [owner_person] if owner_person else []),
        visible_agreements=_visible_agreement_ids(actor, [agreement] if agreement else []),
        agreement=agreement,
    )
    if decision is not None and decision.meeting_id != meeting.pk:
        _add(errors, "decision", "این مصوبه از این جلسه نیست.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        meeting=meeting,
        decision=decision,
        description=description.strip(),
        due_date=due_date,
        owner_person=owner_person,
        owner_organization=owner_organization,
        agreement=agreement,
    )
    _add_owner_participants(meeting, [item])
    _event(meeting, MeetingEventKind.ACTION_CREATED, actor, action_item=item)
    reminders_refresh(target=item)
    return item


def _lock_item(item: ActionItem) -> ActionItem:
    return (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "owner_person")
        .get(pk=item.pk)
    )


def may_work_on_action_item(actor: Any, item: ActionItem) -> bool:
    """Staff of the host or of the owner organisation, or the owner themself."""
    scope = org_scope_for_user(actor)
    if scope.has_role(item.meeting.host_id, Role.STAFF):
        return True
    if scope.has_role(item.owner_organization_id, Role.STAFF):
        return True
    owner = item.owner_person
    return owner is not None and owner.user_id is not None and owner.user_id == actor.pk


def _action_transition(item: ActionItem, target: str) -> None:
    if target not in ACTION_TRANSITIONS[item.status]:
        raise ConflictError(
            f"این اقدام «{ActionItemStatus(item.status).label}» است و تغییر نمی‌کند.",
            field="status",
        )


@transaction.atomic
def action_item_complete(
    *, actor: Any, action_item: ActionItem, note: str = "", now: datetime | None = None
) -> ActionItem:
    """Mark an open action item done."""
    item = _lock_item(action_item)
    if not may_work_on_action_item(actor, item):
        require_role(actor, item.meeting.host_id, Role.STAFF)
    _action_transition(item, ActionItemStatus.DONE)
    item.status = ActionItemStatus.DONE
    item.completed_at = now or timezone.now()
    item.completed_by = actor
    item.completion_note = note.strip()
    item.save(
        update_fields=["status", "completed_at", "completed_by", "completion_note", "updated_at"]
    )
    _event(item.meeting, MeetingEventKind.ACTION_COMPLETED, actor, action_item=item)
    reminders_refresh(target=item)
    return item


@transaction.atomic
def action_item_cancel(*, actor: Any, action_item: ActionItem, reason: str = "") -> ActionItem:
    """Cancel an open action item (staff of the host)."""
    item = _lock_item(action_item)
    require_role(actor, item.meeting.host_id, Role.STAFF)
    _action_transition(item, ActionItemStatus.CANCELLED)
    item.status = ActionItemStatus.CANCELLED
    item.completion_note = reason.strip()
    item.save(update_fields=["status", "completion_note", "updated_at"])
    _event(item.meeting, MeetingEventKind.ACTION_CANCELLED, actor, action_item=item)
    reminders_refresh(target=item)
    return item


@transaction.atomic
def action_item_reassign(
    *,
    actor: Any,
    action_item: ActionItem,
    owner_person: Person | None = None,
    owner_organization: Organization | None = None,
    due_date: date | None = None,
) -> ActionItem:
    """Give an open action item another owner and/or due date; the new owner's organisation
    becomes a participant of the meeting (the previous one stays)."""
    item = _lock_item(action_item)
    if not may_work_on_action_item(actor, item):
        require_role(actor, item.meeting.host_id, Role.STAFF)
    _action_transition(item, ActionItemStatus.DONE)  # only open items move
    errors: Errors = {}
    new_due = due_date or item.due_date
    _check_action_item(
        errors,
        "",
        actor,
        description=item.description,
        due_date=new_due,
        owner_person=owner_person,
        owner_organization=owner_organization,
        meeting_day=_local_date(item.meeting.start),
        visible_people=_visible_person_ids(actor, [owner_person] if owner_person else []),
        visible_agreements=set(),
        agreement=None,
    )
    if errors:
        raise ValidationError(errors)
    before = {
        "owner_person": item.owner_person_id,
        "owner_organization": item.owner_organization_id,
        "due_date": item.due_date.isoformat(),
    }
    item.owner_person = owner_person
    item.owner_organization = owner_organization
    item.due_date = new_due
    item.save(update_fields=["owner_person", "owner_organization", "due_date", "updated_at"])
    _add_owner_participants(item.meeting, [item])
    _event(item.meeting, MeetingEventKind.ACTION_REASSIGNED, actor, action_item=item, before=before)
    reminders_refresh(target=item)
    return item


# --- Calendar feed ------------------------------------------------------------------------


def feed_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def calendar_feed_token_create(*, actor: Any) -> tuple[CalendarFeedToken, str]:
    """A new secret feed address for ``actor``; the previous one stops working.
    Returns the row and the key, which is shown once."""
    calendar_feed_token_revoke(actor=actor)
    key = secrets.token_urlsafe(32)
    token = CalendarFeedToken.objects.create(
        user=actor, key_hash=feed_key_hash(key), prefix=key[:8]
    )
    return token, key


@transaction.atomic
def calendar_feed_token_revoke(*, actor: Any) -> int:
    """Revoke the actor's live feed address (its URL then answers 404)."""
    return CalendarFeedToken.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
