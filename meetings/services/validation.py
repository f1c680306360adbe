"""The checks of meeting and action-item input. Each adds Persian messages to ``errors``
under the key of its field, so one call reports every mistake at once; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from agreements.selectors import agreement_list_for_user
from organizations.choices import Role
from organizations.models import Organization, Person
from organizations.scoping import org_scope_for_user
from organizations.selectors import person_list_for_user
from organizations.services import person_name_taken_message
from tracker.jalali import format_date
from tracker.text import normalize

from ..choices import (
    MAX_MINUTES_LENGTH,
    AttendanceRole,
    AttendanceStatus,
    InvitationResponse,
    MeetingKind,
)
from ..models import Meeting, MeetingSeries
from ..selectors import series_list_for_user
from .inputs import (
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    Errors,
    StatementInput,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from agreements.models import Agreement


def add_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def local_date(value: datetime) -> date:
    return timezone.localtime(value).date()


def visible_person_ids(actor: User, people: Sequence[Person]) -> set[int]:
    ids = [p.pk for p in people]
    if not ids:
        return set()
    return set(person_list_for_user(user=actor).filter(pk__in=ids).values_list("pk", flat=True))


def visible_agreement_ids(actor: User, agreements: Sequence[Agreement | None]) -> set[int]:
    ids = [a.pk for a in agreements if a is not None]
    if not ids:
        return set()
    visible = agreement_list_for_user(user=actor).filter(pk__in=ids)
    return set(visible.values_list("pk", flat=True))


def check_organization(errors: Errors, key: str, organization: Organization | None) -> None:
    if organization is not None and not organization.is_active:
        add_error(errors, key, f"سازمان «{organization.name}» غیرفعال است و قابل انتخاب نیست.")


def check_host(errors: Errors, actor: User, host: Organization | None) -> None:
    if host is None:
        add_error(errors, "host", "سازمان میزبان را انتخاب کنید.")
        return
    if not org_scope_for_user(actor).has_role(host.pk, Role.STAFF):
        add_error(
            errors,
            "host",
            f"شما در «{host.name}» نقش کارشناس یا بالاتر ندارید و نمی‌توانید برای آن جلسه ثبت کنید.",
        )
    check_organization(errors, "host", host)


def check_meeting_fields(errors: Errors, fields: dict[str, Any]) -> None:
    if not (fields.get("title") or "").strip():
        add_error(errors, "title", "عنوان جلسه را وارد کنید.")
    if fields.get("kind") not in MeetingKind.values:
        add_error(errors, "kind", "نوع جلسه نامعتبر است.")
    start, end = fields.get("start"), fields.get("end")
    if start is None:
        add_error(errors, "start", "زمان شروع جلسه را وارد کنید.")
    elif end is not None and end <= start:
        add_error(errors, "end", "زمان پایان باید بعد از زمان شروع باشد.")
    minutes = fields.get("minutes") or ""
    if len(minutes) > MAX_MINUTES_LENGTH:
        add_error(
            errors,
            "minutes",
            f"متن صورتجلسه {_grouped(len(minutes))} نویسه است؛ "
            f"بیشینه {_grouped(MAX_MINUTES_LENGTH)} نویسه است.",
        )


def _grouped(n: int) -> str:
    """``n`` with the Persian thousands separator (٬): ۲۰۰٬۰۰۱ once the digits are Persian."""
    return f"{n:,}".replace(",", "\u066c")


def check_series(errors: Errors, actor: User, series: MeetingSeries | None) -> None:
    if series is None:
        return
    if not series_list_for_user(user=actor).filter(pk=series.pk).exists():
        add_error(errors, "series", "این سلسله جلسات برای شما قابل دسترسی نیست.")


def registered_namesakes(rows: Sequence[AttendanceInput]) -> dict[tuple[int, str], Person]:
    """The people already registered under the names of the rows' new people, in any
    spelling, by (organisation id, name key): one query for all rows."""
    wanted = {
        (row.organization.pk, normalize(row.new_person_name))
        for row in rows
        if row.new_person_name.strip() and row.organization is not None
    }
    if not wanted:
        return {}
    found: dict[tuple[int, str], Person] = {}
    for person in Person.objects.filter(
        organization_id__in={org for org, _ in wanted}, name_key__in={key for _, key in wanted}
    ).order_by("-pk"):
        found[(person.organization_id, person.name_key)] = person
    return {key: person for key, person in found.items() if key in wanted}


def check_attendances(errors: Errors, actor: User, rows: Sequence[AttendanceInput]) -> None:
    visible = visible_person_ids(actor, [r.person for r in rows if r.person is not None])
    namesakes = registered_namesakes(rows)
    new_names: dict[tuple[int, str], int] = {}
    seen: dict[int, int] = {}
    for i, row in enumerate(rows):
        key = f"attendances.{i}"
        given = [
            bool(row.person),
            bool(row.new_person_name.strip()),
            bool(row.group_label.strip()),
        ]
        if sum(given) == 0:
            add_error(
                errors,
                f"{key}.person",
                "یک شخص انتخاب کنید، نام شخص تازه یا عنوان گروه را بنویسید.",
            )
            continue
        if sum(given) > 1:
            add_error(
                errors, f"{key}.person", "هر ردیف یا یک شخص است یا یک گروه؛ هر دو را با هم نپرکنید."
            )
            continue
        if row.person is not None:
            if row.person.pk not in visible:
                add_error(errors, f"{key}.person", "این شخص برای شما قابل دسترسی نیست.")
            elif row.person.pk in seen:
                add_error(
                    errors,
                    f"{key}.person",
                    f"«{row.person.full_name}» پیش‌تر در ردیف {seen[row.person.pk] + 1} آمده است.",
                )
            seen[row.person.pk] = i
        elif row.organization is None:
            add_error(errors, f"{key}.organization", "سازمان این ردیف را انتخاب کنید.")
        elif row.new_person_name.strip():
            name = (row.organization.pk, normalize(row.new_person_name))
            if name in namesakes:
                add_error(
                    errors, f"{key}.new_person_name", person_name_taken_message(namesakes[name])
                )
            elif name in new_names:
                add_error(
                    errors,
                    f"{key}.new_person_name",
                    f"این نام پیش‌تر در ردیف {new_names[name] + 1} آمده است.",
                )
            new_names.setdefault(name, i)
        if row.head_count is not None and row.head_count < 1:
            add_error(errors, f"{key}.head_count", "تعداد نفرات باید دست‌کم ۱ باشد.")
        if row.head_count is not None and row.person is not None:
            add_error(errors, f"{key}.head_count", "تعداد نفرات فقط برای گروه‌هاست.")
        if row.role not in AttendanceRole.values:
            add_error(errors, f"{key}.role", "نقش در جلسه نامعتبر است.")
        if row.status not in AttendanceStatus.values:
            add_error(errors, f"{key}.status", "وضعیت حضور نامعتبر است.")
        check_organization(errors, f"{key}.organization", row.organization)


def check_agenda(errors: Errors, rows: Sequence[AgendaItemInput]) -> None:
    for i, row in enumerate(rows):
        if not row.title.strip():
            add_error(errors, f"agenda_items.{i}.title", "موضوع دستور جلسه را وارد کنید.")


def check_decisions(errors: Errors, rows: Sequence[DecisionInput], agenda_count: int) -> None:
    for i, row in enumerate(rows):
        if not row.text.strip():
            add_error(errors, f"decisions.{i}.text", "متن مصوبه را وارد کنید.")
        if row.agenda_index is not None and not 0 <= row.agenda_index < agenda_count:
            add_error(errors, f"decisions.{i}.agenda_index", "این بند دستور جلسه وجود ندارد.")


def check_statements(errors: Errors, rows: Sequence[StatementInput], attendance_count: int) -> None:
    for i, row in enumerate(rows):
        if not row.text.strip():
            add_error(errors, f"statements.{i}.text", "متن سخن را وارد کنید.")
        if row.speaker_index is not None and not 0 <= row.speaker_index < attendance_count:
            add_error(errors, f"statements.{i}.speaker_index", "این ردیف حاضران وجود ندارد.")


def check_action_item(
    errors: Errors,
    key: str,
    actor: User,
    *,
    description: str,
    due_date: date | None,
    owner_person: Person | None,
    owner_organization: Organization | None,
    meeting_day: date | None,
    visible_people: set[int],
    visible_agreements: set[int],
    agreement: Agreement | None,
) -> None:
    if not description.strip():
        add_error(errors, f"{key}description", "شرح اقدام را وارد کنید.")
    if owner_person is None and owner_organization is None:
        add_error(errors, f"{key}owner_person", "مسئول اقدام (شخص یا سازمان) را تعیین کنید.")
    if owner_person is not None and owner_person.pk not in visible_people:
        add_error(errors, f"{key}owner_person", "این شخص برای شما قابل دسترسی نیست.")
    check_organization(errors, f"{key}owner_organization", owner_organization)
    if due_date is None:
        add_error(errors, f"{key}due_date", "مهلت اقدام را وارد کنید.")
    elif meeting_day is not None and due_date < meeting_day:
        add_error(
            errors,
            f"{key}due_date",
            f"مهلت ({format_date(due_date)}) نمی‌تواند پیش از تاریخ جلسه "
            f"({format_date(meeting_day)}) باشد.",
        )
    if agreement is not None and agreement.pk not in visible_agreements:
        add_error(errors, f"{key}agreement", "این تفاهم‌نامه برای شما قابل دسترسی نیست.")


def check_action_items(
    errors: Errors,
    actor: User,
    rows: Sequence[ActionItemInput],
    *,
    meeting_day: date | None,
    decision_count: int,
) -> None:
    people = visible_person_ids(actor, [r.owner_person for r in rows if r.owner_person])
    agreements = visible_agreement_ids(actor, [r.agreement for r in rows if r.agreement])
    for i, row in enumerate(rows):
        key = f"action_items.{i}."
        check_action_item(
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
            add_error(errors, f"{key}decision_index", "این مصوبه وجود ندارد.")


def check_declined_attendances(
    errors: Errors, meeting: Meeting, rows: Sequence[AttendanceInput]
) -> None:
    """People of an organisation that declined the invitation cannot be named as attendees.
    Rows the meeting already had before the answer (the same person, or the same group of
    that organisation) are kept: the record of what happened does not change."""
    declined = dict(
        meeting.participant_responses.filter(response=InvitationResponse.DECLINED).values_list(
            "organization_id", "organization__name"
        )
    )
    if not declined:
        return
    kept_people = set(
        meeting.attendances.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    kept_groups = set(
        meeting.attendances.filter(person__isnull=True).values_list(
            "organization_id", "group_label"
        )
    )
    for i, row in enumerate(rows):
        org_id: int | None
        if row.person is not None:
            org_id = row.organization.pk if row.organization else row.person.organization_id
            if org_id not in declined or row.person.pk in kept_people:
                continue
        else:
            org_id = row.organization.pk if row.organization else None
            if org_id not in declined:
                continue
            if (org_id, " ".join(row.group_label.split())) in kept_groups:
                continue
        add_error(
            errors,
            f"attendances.{i}.person",
            f"«{declined[org_id]}» دعوت این جلسه را رد کرده است؛ افراد آن را نمی‌توان "
            "به‌عنوان حاضر ثبت کرد.",
        )
