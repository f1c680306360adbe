"""Every refusal ``meeting_update`` would give an edit, without writing or locking anything.

The «ویرایش جلسه» page calls it when some fields did not even parse (a start typed wrong, a
head count in letters), with what did: the rows' mistakes (an attendee without
organisation, a namesake of a registered person, a speaker row that does not exist, a
decision that cannot go) are then reported in the same round as the form's own errors,
as «ثبت جلسه» does with ``meeting_log_errors``. A field that did not parse is left out, so
its current value stands in and it gets no second message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from organizations.models import Organization
from tracker.text import standardize

from ..models import Meeting
from .inputs import (
    MEETING_FIELDS,
    STANDARD_TEXT_FIELDS,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    Errors,
    StatementInput,
)
from .validation import (
    add_error,
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


def meeting_update_errors(
    *,
    actor: User,
    meeting: Meeting,
    participants: Sequence[Organization] | None = None,
    attendances: Sequence[AttendanceInput] | None = None,
    agenda_items: Sequence[AgendaItemInput] | None = None,
    decisions: Sequence[DecisionInput] | None = None,
    statements: Sequence[StatementInput] | None = None,
    agreements: Sequence[Agreement] | None = None,
    **fields: Any,
) -> Errors:
    """The errors ``meeting_update(meeting=meeting, …)`` would raise for this input (the
    role and the meeting's state are the page's own checks, made before the form). The one
    set of rules: ``meeting_update`` calls it too."""
    errors: Errors = {}
    fields = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    check_meeting_fields(errors, merged_fields(meeting, fields))
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
        count = len(attendances) if attendances is not None else meeting.attendances.count()
        check_statements(errors, statements, count)
    if decisions is not None:
        agenda_count = (
            len(agenda_items) if agenda_items is not None else meeting.agenda_items.count()
        )
        check_decisions(errors, decisions, agenda_count)
        for gone in meeting.decisions.filter(order__gte=len(decisions)).order_by("order"):
            if gone.action_items.exists():
                add_error(
                    errors, "decisions", f"مصوبه {gone.order + 1} اقدام ثبت‌شده دارد و حذف نمی‌شود."
                )
            elif getattr(gone, "commitments", None) is not None and gone.commitments.exists():
                # Commitments made from it (the commitments app) keep it.
                add_error(
                    errors,
                    "decisions",
                    f"مصوبه {gone.order + 1} پایه تعهد ثبت‌شده‌ای است و حذف نمی‌شود.",
                )
    if agreements is not None and len(visible_agreement_ids(actor, agreements)) != len(
        {a.pk for a in agreements}
    ):
        add_error(errors, "agreements", "دست‌کم یکی از تفاهم‌نامه‌ها برای شما قابل دسترسی نیست.")
    if fields.get("start") is not None:
        day = local_date(fields["start"])
        if meeting.action_items.filter(due_date__lt=day).exists():
            add_error(errors, "start", "مهلت برخی اقدامات این جلسه پیش از تاریخ تازه جلسه است.")
    return errors


def merged_fields(meeting: Meeting, fields: dict[str, Any]) -> dict[str, Any]:
    """The meeting's fields with ``fields`` over them, names and places in standard spelling
    (what is checked and then saved)."""
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} | fields
    for name in STANDARD_TEXT_FIELDS:
        merged[name] = standardize(merged[name])
    return merged
