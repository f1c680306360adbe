"""Logging a meeting from a report's text: read it, create what it proposes, log it for review.

``meeting_from_text`` runs the pure reader (:mod:`meetings.intake`) over the text with the
organisation directory and the people the actor sees, creates the organisations and people
it proposes as new (through the organisations' own services), and logs the meeting through
``meeting_log`` as ``needs_review``: visible to its host only until a person confirms it
(``meeting_confirm``). One transaction: a refusal anywhere leaves nothing behind.

Every uncertain reading becomes a review item ``{"field", "value", "confidence", "message",
"span", "excerpt"}`` whose ``field`` is the meeting field or row key of the API and the form
(``start``, ``location``, ``attendances.1.person``, ``statements.0.speaker_index``), and
whose ``span`` is ``[start, end)`` in the text as given (``excerpt`` is that slice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organizations.choices import Role
from organizations.models import Organization, Person
from organizations.scoping import org_scope_for_user
from organizations.selectors import person_list_for_user
from organizations.services import organization_create, person_create
from tracker.jalali import TEHRAN, format_date, format_datetime
from tracker.text import normalize

from ..choices import AttendanceRole, MeetingKind, MeetingStatus
from ..intake import OrganisationReading, ReportReading, read_report
from ..intake.fold import key
from ..intake.title import read_title
from ..models import Meeting
from .agreement_draft import meeting_signed_agreements_create
from .inputs import ActionItemInput, AttendanceInput, DecisionInput, StatementInput
from .intake_parts import (
    REVIEW_BELOW,
    ReviewList,
    location_field,
    publication_fields,
    reader_message,
)
from .intake_source import DuplicateReportError, check_text_length, duplicate_of
from .meetings import meeting_confirm, meeting_log
from .validation import visible_person_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Titles that chair a meeting of their own organisation: the first such attendee of the
#: host is taken as chair without a review note (anyone else first of the host gets one).
CHAIR_TITLE = re.compile(r"(?:شهردار|رئیس|رییس|مدیرعامل|فرماندار|بخشدار)(?:\s|$)")
#: The start time given to a meeting whose report names only the day (flagged for review).
DEFAULT_TIME = time(10, 0)

NOTHING_TO_READ = (
    "در این متن تاریخ، محل، سازمان، شخص، سخن یا مصوبه‌ای پیدا نشد؛ متن گزارش خبری یا "
    "صورتجلسه را کامل بچسبانید."
)
NO_HOST = (
    "سازمان میزبان از متن معلوم نشد یا شما در آن نقش کارشناس ندارید؛ "
    "سازمان میزبان (host) را انتخاب کنید."
)
NO_DATE = "تاریخ جلسه در متن نیامده است؛ تاریخ انتشار گزارش (published_on) را بدهید."


def _org_key(org: OrganisationReading) -> Any:
    return org.matched_id if org.matched_id is not None else key(org.name)


def _organisations(
    actor: User, reading: ReportReading, review: ReviewList
) -> dict[Any, Organization]:
    """Every organisation of the reading as a row: the matched ones, and the new ones
    created now (in reading order)."""
    matched = Organization.objects.in_bulk(
        [o.matched_id for o in reading.organisations if o.matched_id is not None]
    )
    found: dict[Any, Organization] = {}
    for org in reading.organisations:
        k = _org_key(org)
        if k in found:
            continue
        if org.matched_id is not None:
            found[k] = matched[org.matched_id]
            continue
        try:
            found[k] = organization_create(actor=actor, name=org.name, kind=org.kind)
        except ValidationError as exc:
            raise ValidationError(
                {"participants": [f"سازمان «{org.name}»: {m}" for m in exc.messages]}
            ) from exc
        review.add(
            "participants",
            org.name,
            org.confidence,
            org.span,
            reader_message(reading, "organisations", org.span)
            or f"سازمان «{org.name}» تازه ثبت شد.",
        )
    return found


def _guess_host(actor: User, orgs: list[Organization]) -> Organization | None:
    """The first municipality of the text (else the first organisation) where the actor is
    staff; a superuser may host for any. Else the actor's only staff organisation."""
    scope = org_scope_for_user(actor)
    ordered = sorted(orgs, key=lambda o: o.kind != "municipality")
    for org in ordered:
        if scope.everything or scope.has_role(org.pk, Role.STAFF):
            return org
    staff = sorted(scope.ids_with_role(Role.STAFF))
    if len(staff) == 1:
        return Organization.objects.filter(pk=staff[0], is_active=True).first()
    return None


def _start(reading: ReportReading, review: ReviewList) -> datetime:
    found = reading.meeting_start
    if found is None:
        raise ValidationError({"published_on": NO_DATE})
    value = found.value
    message = reader_message(reading, "meeting_start", found.span)
    # A date counted from the report's date line («امروز», «روز گذشته») inherits what was
    # wrong with that line (a weekday that does not fit its date): shown on the start.
    dateline = [item.message for item in reading.review if item.field == "report_date"]
    if dateline:
        message = " ".join(filter(None, [message, *dateline]))
    if not isinstance(value, datetime):
        value = datetime.combine(value, DEFAULT_TIME, tzinfo=TEHRAN)
        message = " ".join(
            filter(None, [message, "ساعت جلسه در متن نیامده؛ ساعت ۱۰:۰۰ گذاشته شد."])
        )
    if message or found.confidence < REVIEW_BELOW:
        review.add(
            "start",
            format_datetime(value),
            found.confidence,
            found.span,
            message or "تاریخ جلسه را بررسی کنید.",
        )
    return value


@dataclass
class _Attendees:
    rows: list[AttendanceInput]
    #: reading.people index -> attendance row index
    person_rows: dict[int, int]
    people: list[Person | None]


def _attendees(
    actor: User,
    reading: ReportReading,
    host: Organization,
    orgs: dict[Any, Organization],
    review: ReviewList,
) -> _Attendees:
    known = {p.pk: p for p in person_list_for_user(user=actor).filter(
        pk__in=[p.matched_id for p in reading.people if p.matched_id is not None]
    )}  # fmt: skip
    rows: list[AttendanceInput] = []
    person_rows: dict[int, int] = {}
    people: list[Person | None] = []
    seen: dict[int, int] = {}
    chair = False
    for i, found in enumerate(reading.people):
        org = orgs.get(_org_key(found.organisation)) if found.organisation else None
        row = len(rows)
        person = known.get(found.matched_id) if found.matched_id is not None else None
        if person is None:
            if org is None:
                org = host
                review.add(
                    f"attendances.{row}.organization",
                    host.name,
                    0.4,
                    found.span,
                    f"سازمان «{found.name}» در متن نیامده؛ سازمان میزبان گذاشته شد.",
                )
            # The organisation may already hold this person under another spelling (one
            # person per name: organizations.services); that row is the person, not a new one.
            person = Person.objects.filter(organization=org, name_key=normalize(found.name)).first()
            if person is not None and not visible_person_ids(actor, [person]):
                # Registered there, but not among the people this user may name: the row
                # keeps the name as read (a one-person group row), never a second person.
                review.add(
                    f"attendances.{row}.group_label",
                    found.name,
                    0.5,
                    found.span,
                    f"«{found.name}» از «{org.name}» با نامش ثبت شد (نه از فهرست افراد)؛ "
                    "بررسی کنید.",
                )
                people.append(None)
                person_rows[i] = row
                label = f"{found.name}، {found.title}" if found.title else found.name
                rows.append(
                    AttendanceInput(group_label=label[:300], organization=org, head_count=1)
                )
                continue
            if person is not None:
                review.add(
                    f"attendances.{row}.person",
                    person.full_name,
                    found.confidence,
                    found.span,
                    f"«{found.name}» همان «{person.full_name}» ثبت‌شده در «{org.name}» گرفته شد.",
                )
            else:
                try:
                    person = person_create(
                        actor=actor,
                        full_name=found.name,
                        position_title=found.title[:255],
                        organization=org,
                    )
                except ValidationError as exc:
                    raise ValidationError(
                        {f"attendances.{row}.new_person_name": exc.messages}
                    ) from exc
                review.add(
                    f"attendances.{row}.person",
                    found.name,
                    found.confidence,
                    found.span,
                    reader_message(reading, "people", found.span)
                    or f"شخص «{found.name}» تازه ثبت شد.",
                )
        elif found.confidence < REVIEW_BELOW:
            review.add(
                f"attendances.{row}.person",
                found.name,
                found.confidence,
                found.span,
                "این شخص را بررسی کنید.",
            )
        people.append(person)
        if person.pk in seen:
            person_rows[i] = seen[person.pk]
            continue
        org = org or person.organization
        is_chair = not chair and org.pk == host.pk
        chair = chair or is_chair
        if is_chair and not CHAIR_TITLE.match(found.title or person.position_title):
            review.add(
                f"attendances.{row}.role",
                found.name,
                0.6,
                found.span,
                "رئیس جلسه حدس زده شد (نخستین حاضر سازمان میزبان)؛ بررسی کنید.",
            )
        rows.append(
            AttendanceInput(
                person=person,
                organization=org,
                position_title=(found.title or person.position_title)[:255],
                role=AttendanceRole.CHAIR if is_chair else AttendanceRole.MEMBER,
            )
        )
        seen[person.pk] = person_rows[i] = row
    for group in reading.groups:
        row = len(rows)
        org = orgs.get(_org_key(group.organisation)) if group.organisation else None
        if org is None or group.confidence < REVIEW_BELOW:
            review.add(
                f"attendances.{row}.group_label",
                group.label,
                group.confidence,
                group.span,
                "سازمان این گروه از متن معلوم نشد؛ سازمان میزبان گذاشته شد."
                if org is None
                else "این گروه و سازمانش را بررسی کنید.",
            )
        rows.append(AttendanceInput(group_label=group.label[:300], organization=org or host))
    return _Attendees(rows, person_rows, people)


def _statements(
    reading: ReportReading, attendees: _Attendees, review: ReviewList
) -> list[StatementInput]:
    rows = []
    for i, st in enumerate(reading.statements):
        speaker = attendees.person_rows.get(st.speaker) if st.speaker is not None else None
        if speaker is None or st.confidence < REVIEW_BELOW:
            review.add(
                f"statements.{i}.speaker_index",
                st.text[:80],
                st.confidence,
                st.span,
                reader_message(reading, "statements", st.span) or "گوینده این سخن را بررسی کنید.",
            )
        rows.append(StatementInput(text=st.text, speaker_index=speaker))
    return rows


def _decisions(
    reading: ReportReading,
    host: Organization,
    orgs: dict[Any, Organization],
    attendees: _Attendees,
    start: datetime,
    review: ReviewList,
) -> tuple[list[DecisionInput], list[ActionItemInput]]:
    decisions: list[DecisionInput] = []
    items: list[ActionItemInput] = []
    day = timezone.localtime(start).date()
    for found in reading.decisions:
        index = len(decisions)
        decisions.append(DecisionInput(text=found.text))
        if found.confidence < REVIEW_BELOW:
            review.add(
                f"decisions.{index}.text",
                found.text[:80],
                found.confidence,
                found.span,
                "این مصوبه را بررسی کنید.",
            )
        if found.due is None:
            continue
        person = (
            attendees.people[found.owner_person]
            if found.owner_person is not None and found.owner_person < len(attendees.people)
            else None
        )
        org = orgs.get(_org_key(found.owner_organisation)) if found.owner_organisation else None
        row = len(items)
        if person is None and org is None:
            org = host
            review.add(
                f"action_items.{row}.owner_organization",
                host.name,
                0.4,
                found.span,
                "مسئول این اقدام در متن نیامده؛ سازمان میزبان گذاشته شد.",
            )
        due = max(found.due, day)
        review.add(
            f"action_items.{row}.due_date",
            format_date(due),
            found.confidence,
            found.span,
            "مهلت اقدام از متن حساب شد؛ بررسی کنید.",
        )
        items.append(
            ActionItemInput(
                description=found.text[:2000],
                due_date=due,
                owner_person=person,
                owner_organization=org,
                decision_index=index,
            )
        )
    return decisions, items


def _propose_signed(reading: ReportReading, start: datetime, review: ReviewList) -> None:
    """A report that says the MoU was signed proposes it, linked to this meeting, signed on
    the meeting's day: opened when the meeting is confirmed
    (``meeting_signed_agreements_create``)."""
    signed = reading.signed
    if signed is None:
        return
    day = timezone.localtime(start).date()
    review.add(
        "agreements",
        signed.mou_title,
        signed.confidence,
        signed.span,
        f"گزارش می‌گوید تفاهم‌نامه «{signed.mou_title or '؟'}» به امضا رسید: با تأیید جلسه، "
        f"با تاریخ امضای {format_date(day)} (روز جلسه) ثبت و به این جلسه پیوند داده می‌شود؛ "
        "وضعیتش «پیش‌نویس» است تا با نسخه امضاشده، «ثبت امضا» آن را امضاشده کند.",
    )
    review.items[-1]["agreement"] = {
        "title": signed.mou_title,
        "status": "draft",
        "signed_date": day.isoformat(),
    }


@transaction.atomic
def meeting_from_text(
    *,
    actor: User,
    text: str,
    host: Organization | None = None,
    published_on: date | None = None,
    allow_duplicate: bool = False,
    title: str = "",
    confirm: bool = False,
    create_agreements: bool = True,
    now: datetime | None = None,
) -> tuple[Meeting, list[dict[str, Any]]]:
    """Read ``text`` and log its meeting as needing review; the meeting and the review list.

    ``host`` defaults to the text's first municipality (else organisation) where the actor
    is staff; ``published_on`` stands in for a missing date line. The same text already
    logged for the same host (a meeting the actor still sees) is a :class:`DuplicateReportError`
    (409) unless ``allow_duplicate``. ``title`` (the page's preview lets the person correct
    it) replaces the title read; ``confirm`` confirms the meeting in the same transaction
    (as :func:`meeting_confirm`): «ذخیره و تأیید» of the preview; with it, unless not
    ``create_agreements``, the MoU the report says was signed is opened and linked.
    """
    now = now or timezone.now()
    text = text or ""
    if not text.strip():
        raise ValidationError({"text": "متن گزارش را وارد کنید."})
    check_text_length(text)
    directory = list(Organization.objects.filter(is_active=True).values_list("id", "name"))
    people = list(person_list_for_user(user=actor).values_list("id", "full_name"))
    reading = read_report(text, directory=directory, people=people, published_on=published_on)
    if reading.is_empty:
        raise ValidationError({"text": NOTHING_TO_READ})
    review = ReviewList(text, [])
    start = _start(reading, review)
    orgs = _organisations(actor, reading, review)
    guessed = host is None
    if host is None:
        host = _guess_host(actor, list(orgs.values()))
        if host is None:
            raise ValidationError({"host": NO_HOST})
    if not allow_duplicate and (existing := duplicate_of(actor=actor, host=host, text=text)):
        raise DuplicateReportError(existing)
    location = location_field(reading, review)
    if guessed and key(host.name) not in key(location):
        review.add("host", host.name, 0.6, (0, 0), "میزبان از متن حدس زده شد؛ بررسی کنید.")
    read = read_title(text)
    if title.strip():
        pass  # the person's own title (the preview's): nothing to review
    elif read is None:
        review.add("title", "", 0.0, (0, 0), "عنوان جلسه در متن پیدا نشد.")
    elif read.confidence < REVIEW_BELOW:
        review.add("title", read.text, read.confidence, read.span, "عنوان جلسه را بررسی کنید.")
    attendees = _attendees(actor, reading, host, orgs, review)
    decisions, action_items = _decisions(reading, host, orgs, attendees, start, review)
    if reading.signed is not None:
        _propose_signed(reading, start, review)
    statements = _statements(reading, attendees, review)
    source = publication_fields(reading, review)
    meeting = meeting_log(
        actor=actor,
        title=title.strip() or (read.text if read else f"جلسه {host.name}"),
        kind=read.kind if read else MeetingKind.COORDINATION,
        status=MeetingStatus.HELD if start <= now else MeetingStatus.PLANNED,
        host=host,
        start=start,
        location=location,
        participants=[o for o in orgs.values() if o.pk != host.pk],
        attendances=attendees.rows,
        statements=statements,
        decisions=decisions,
        action_items=action_items,
        needs_review=True,
        review_items=review.items,
        source_text=text,
        now=now,
        **source,
    )
    if confirm:
        meeting = meeting_confirm(actor=actor, meeting=meeting)
        if create_agreements:
            meeting_signed_agreements_create(actor=actor, meeting=meeting)
    return meeting, review.items
