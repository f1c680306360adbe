"""Meetings and action items: through ``meeting_log``/``meeting_update`` and the status
services (held, cancelled, minutes approved), and ``action_item_create``/``_reassign``/
``_complete``/``_cancel``, as the meeting pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from meetings import services
from meetings.choices import ActionItemStatus, MeetingKind, MeetingStatus, OpenItemsOnCancel
from meetings.models import ActionItem
from meetings.selectors import action_item_scope_for_user, meeting_list_for_user
from tracker.exceptions import ApplicationError
from tracker.text import normalize

from .base import (
    CellError,
    Col,
    Context,
    Row,
    choice_cols,
    date_cols,
    datetime_cols,
    integer,
    names,
    organization_cols,
    plain,
    simple,
    text,
)
from .kind import Kind

#: The meeting fields a row may change through ``meeting_update``.
_MEETING_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "location",
    "host",
    "minutes",
    "source_publication",
    "source_issue",
    "source_page",
    "source_date",
    "source_url",
)


def _participants(value: Any, context: Context) -> list[Any]:
    return [context.organization_by_name(name) for name in names(value)]


class MeetingKindImport(Kind):
    name = "meetings"
    sheet_titles = ("جلسات",)
    columns = [
        simple("title", "عنوان"),
        *choice_cols("kind", "نوع", MeetingKind),
        *choice_cols("status", "وضعیت", MeetingStatus),
        *organization_cols("host", "شناسه میزبان", "میزبان"),
        Col("participants", ("سازمان‌های شرکت‌کننده", "participants"), _participants),
        simple("location", "محل"),
        *datetime_cols("start", "شروع"),
        *datetime_cols("end", "پایان"),
        simple("source_publication", "منبع: نشریه"),
        simple("source_issue", "منبع: شماره"),
        simple("source_page", "منبع: صفحه"),
        *date_cols("source_date", "منبع: تاریخ"),
        simple("source_url", "منبع: پیوند"),
        simple("minutes", "صورتجلسه"),
    ]
    required = ("title", "host", "start")

    def get(self, context: Context, pk: int) -> Any:
        return (
            meeting_list_for_user(user=context.actor)
            .select_related("host")
            .prefetch_related("participants")
            .filter(pk=pk)
            .first()
        )

    def current(self, obj: Any) -> dict[str, Any]:
        values = {name: getattr(obj, name) for name in _MEETING_FIELDS}
        values["status"] = obj.status
        values["participants"] = list(obj.participants.all())
        return values

    def one_step(self, fields: dict[str, Any], *, creating: bool) -> bool:
        if creating:  # logged planned or held: meeting_log alone
            return fields.get("status") in (None, MeetingStatus.PLANNED, MeetingStatus.HELD)
        return not fields.get("status")

    def create(self, context: Context, row: Row, values: dict[str, Any]) -> Any:
        status = values.pop("status", None) or MeetingStatus.PLANNED
        logged_as = status if status in (MeetingStatus.PLANNED, MeetingStatus.HELD) else None
        if logged_as is None:
            # Approved minutes are approved after the meeting was held; a cancelled meeting
            # was planned first: the same two steps as on the pages.
            logged_as = (
                MeetingStatus.HELD
                if status == MeetingStatus.MINUTES_APPROVED
                else MeetingStatus.PLANNED
            )
        fields = {k: v for k, v in values.items() if v is not None}
        fields.setdefault("participants", [])
        meeting = services.meeting_log(actor=context.actor, status=logged_as, **fields)
        if status != logged_as:
            self._move(context, meeting, status)
        return meeting

    def update(
        self, context: Context, row: Row, obj: Any, changes: dict[str, Any], current: dict[str, Any]
    ) -> Any:
        status = changes.pop("status", None)
        participants = changes.pop("participants", None)
        if changes or participants is not None:
            fields: dict[str, Any] = {
                k: ("" if v is None and k not in ("end", "source_date", "host", "start") else v)
                for k, v in changes.items()
            }
            obj = services.meeting_update(
                actor=context.actor, meeting=obj, participants=participants, **fields
            )
        if status:
            self._move(context, obj, status)
        return obj

    @staticmethod
    def _move(context: Context, meeting: Any, status: str) -> None:
        moves = {
            MeetingStatus.HELD: services.meeting_mark_held,
            MeetingStatus.CANCELLED: services.meeting_cancel,
            MeetingStatus.MINUTES_APPROVED: services.minutes_approve,
        }
        if meeting.status == MeetingStatus.PLANNED and status == MeetingStatus.MINUTES_APPROVED:
            services.meeting_mark_held(actor=context.actor, meeting=meeting)
            meeting.refresh_from_db()
        move = moves.get(status)  # type: ignore[call-overload]
        if move is None:
            raise ApplicationError(
                f"جلسه «{MeetingStatus(meeting.status).label}» است و به "
                f"«{MeetingStatus(status).label}» برنمی‌گردد.",
                field="status",
            )
        if status == MeetingStatus.CANCELLED:
            # A sheet has no column for it: the open action items stay open, as they did
            # before the question existed (nothing is cancelled without being asked).
            move(actor=context.actor, meeting=meeting, open_items=OpenItemsOnCancel.KEEP)
        else:
            move(actor=context.actor, meeting=meeting)


def _meeting_ref(value: Any, context: Context) -> Any:
    ref = text(value)
    if not ref:
        return None
    meeting = context.refs.get(("meetings", normalize(ref)))
    if meeting is None:
        raise CellError(
            f"جلسه‌ای با مرجع «{ref}» در ردیف‌های پیشین این فایل ثبت نشد "
            "(برگه جلسات باید پیش از برگه اقدامات بیاید و آن ردیف بی‌خطا باشد)."
        )
    return meeting


def _meeting_id(value: Any, context: Context) -> Any:
    pk = integer(value)
    if pk is None:
        return None
    meeting = meeting_list_for_user(user=context.actor).filter(pk=pk).first()
    if meeting is None:
        raise CellError(f"جلسه‌ای با شناسه {pk} پیدا نشد یا به آن دسترسی ندارید.")
    return meeting


class ActionItemKindImport(Kind):
    name = "action-items"
    sheet_titles = ("اقدامات",)
    columns = [
        simple("description", "شرح"),
        *choice_cols("status", "وضعیت", ActionItemStatus),
        Col(
            "owner_organization",
            ("سازمان مسئول", "owner_organization"),
            lambda v, c: c.organization_by_name(text(v)),
        ),
        Col("owner_person", ("شخص مسئول", "owner_person"), plain(text)),
        Col("meeting", ("شناسه جلسه", "meeting_id"), _meeting_id),
        Col("meeting", ("مرجع جلسه", "meeting_ref"), _meeting_ref),
        *date_cols("due_date", "مهلت"),
    ]
    read_only_headers = ("جلسه", "زمان انجام (شمسی)", "زمان انجام (ISO)")
    required = ("description", "meeting", "due_date")

    def get(self, context: Context, pk: int) -> Any:
        return (
            action_item_scope_for_user(user=context.actor)
            .select_related("meeting", "owner_person", "owner_organization")
            .filter(pk=pk)
            .first()
        )

    def current(self, obj: ActionItem) -> dict[str, Any]:
        return {
            "description": obj.description,
            "status": obj.status,
            "owner_organization": obj.owner_organization,
            # Compared by name: the cell holds the name.
            "owner_person": obj.owner_person.full_name if obj.owner_person else "",
            "meeting": obj.meeting,
            "due_date": obj.due_date,
        }

    def _person(self, context: Context, row: Row, name: str | None, organization: Any) -> Any:
        try:
            return context.person_by_name(name or "", organization)
        except CellError as exc:
            raise ValidationError({"owner_person": str(exc)}) from None

    def one_step(self, fields: dict[str, Any], *, creating: bool) -> bool:
        # A status is a second service (complete or cancel), or a refusal after the first.
        if creating:
            return fields.get("status") in (None, ActionItemStatus.OPEN)
        return not fields.get("status")

    def create(self, context: Context, row: Row, values: dict[str, Any]) -> Any:
        person = self._person(
            context, row, values.get("owner_person"), values.get("owner_organization")
        )
        item = services.action_item_create(
            actor=context.actor,
            meeting=values["meeting"],
            description=values["description"],
            due_date=values["due_date"],
            owner_person=person,
            owner_organization=values.get("owner_organization"),
        )
        self._move(context, item, values.get("status"))
        return item

    def update(
        self, context: Context, row: Row, obj: Any, changes: dict[str, Any], current: dict[str, Any]
    ) -> Any:
        if "description" in changes or "meeting" in changes:
            key = "description" if "description" in changes else "meeting"
            raise ApplicationError(
                "شرح و جلسه اقدامِ ثبت‌شده تغییر نمی‌کند؛ اقدام را لغو کنید و اقدام تازه ثبت کنید.",
                field=key,
            )
        if {"owner_person", "owner_organization", "due_date"} & set(changes):
            organization = changes.get("owner_organization", current["owner_organization"])
            person_name = changes.get("owner_person", current["owner_person"])
            obj = services.action_item_reassign(
                actor=context.actor,
                action_item=obj,
                owner_person=self._person(context, row, person_name, organization),
                owner_organization=organization,
                due_date=changes.get("due_date") or current["due_date"],
            )
        self._move(context, obj, changes.get("status"))
        return obj

    @staticmethod
    def _move(context: Context, item: Any, status: str | None) -> None:
        if status in (None, item.status):
            return
        if status == ActionItemStatus.DONE:
            services.action_item_complete(actor=context.actor, action_item=item)
        elif status == ActionItemStatus.CANCELLED:
            services.action_item_cancel(actor=context.actor, action_item=item)
        else:
            raise ApplicationError(
                f"اقدام «{ActionItemStatus(item.status).label}» است و دوباره باز نمی‌شود.",
                field="status",
            )
