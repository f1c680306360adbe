"""Admin of meetings (in Persian, Jalali dates): the superuser's window on the data.

Writes keep the rules of the services (audit rows, reminders, approved minutes frozen):
- a meeting's own fields and participants are saved through ``meeting_update`` while it is
  planned or held; approved or cancelled meetings are read-only; its status never changes
  here (the pages and API move it);
- attendance, agenda, decisions, action items and addenda show inline, read-only (they are
  edited as a whole on the meeting page / API, where the services check them);
- an open action item's owner and due date are saved through ``action_item_reassign``;
  nothing else of an action item changes here;
- attendance, agenda and decision rows, audit events and addenda are read-only; nothing
  here adds or deletes meetings or their rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from tracker.actors import actor_of
from tracker.admin_display import InlineSelectRelatedMixin
from tracker.exceptions import ApplicationError
from tracker.jalali.admin import JalaliAdminMixin, jalali_display

from . import services
from .choices import EDITABLE_STATUSES, ActionItemStatus
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
    ParticipantResponse,
)

_SERVICE_ERROR = "_meetings_admin_service_error"


class ReadOnlyMixin:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceSaveMixin:
    """``save_model`` runs a service; a refusal is shown on the form's page, not a 500."""

    def _run_service(self, request: HttpRequest, run: Any) -> None:
        try:
            run()
        except (ValidationError, ApplicationError) as exc:
            errors = [exc.message] if isinstance(exc, ApplicationError) else list(exc.messages)
            setattr(request, _SERVICE_ERROR, errors)

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        errors = getattr(request, _SERVICE_ERROR, None)
        if errors:
            for error in errors:
                self.message_user(request, error, messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)  # type: ignore[misc]


class AttendanceInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = Attendance
    extra = 0
    inline_select_related = ("person", "organization")
    fields = (
        "order",
        "person",
        "group_label",
        "head_count",
        "organization",
        "position_title",
        "role",
        "status",
    )


class AgendaItemInline(ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0


class DecisionInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = Decision
    extra = 0
    inline_select_related = ("agenda_item",)


class ActionItemInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = ActionItem
    fk_name = "meeting"
    extra = 0
    inline_select_related = ("owner_person", "owner_organization")
    fields = ("description", "owner_person", "owner_organization", "due_date", "status")
    show_change_link = True


class AddendumInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    model = MinutesAddendum
    extra = 0
    inline_select_related = ("author",)
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")


class ParticipantResponseInline(
    InlineSelectRelatedMixin, ReadOnlyMixin, JalaliAdminMixin, admin.TabularInline
):
    """The participants' answers to the invitation (given on the meeting page or the API)."""

    model = ParticipantResponse
    extra = 0
    inline_select_related = ("organization", "responded_by")
    fields = ("organization", "response", "responded_by", "responded_at")
    readonly_fields = fields


#: What ``meeting_update`` takes (and the admin form offers) of a meeting.
MEETING_FORM_FIELDS = (*services.MEETING_FIELDS, "participants")


@admin.register(Meeting)
class MeetingAdmin(ServiceSaveMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        jalali_display("start", "شروع", style="weekday"),
        "host",
        "kind",
        "status",
        jalali_display("updated_at", "آخرین ویرایش"),
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "location", "host__name")
    list_select_related = ("host",)
    autocomplete_fields = ("host", "participants", "series")
    readonly_fields = (
        "status",
        "agreements",
        "minutes_approved_at",
        "minutes_approved_by",
        "cancelled_at",
        "cancel_reason",
        "created_by",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "start"
    formfield_overrides = {
        **JalaliAdminMixin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
    inlines = (
        AttendanceInline,
        ParticipantResponseInline,
        AgendaItemInline,
        DecisionInline,
        ActionItemInline,
        AddendumInline,
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # meetings are logged on the «ثبت جلسه» page or through the API

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the audit trail (MeetingEvent) refers to it

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Approved minutes (and cancelled meetings) are frozen: corrections are addenda.
        if obj is not None and obj.status not in EDITABLE_STATUSES:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        data = form.cleaned_data
        changed = [name for name in form.changed_data if name in MEETING_FORM_FIELDS]
        fields = {name: data[name] for name in changed if name != "participants"}
        participants = list(data["participants"]) if "participants" in changed else None
        if not fields and participants is None:
            return
        meeting = Meeting.objects.get(pk=obj.pk)  # the stored row, not the form's copy
        self._run_service(
            request,
            lambda: services.meeting_update(
                actor=actor_of(request), meeting=meeting, participants=participants, **fields
            ),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Participants went through the service; inlines are read-only: nothing to save."""
        for formset in formsets:  # what the change message reads of a saved formset
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("title", jalali_display("created_at", "زمان ایجاد"))
    search_fields = ("title",)


@admin.register(ActionItem)
class ActionItemAdmin(ServiceSaveMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "description",
        "meeting",
        "owner_person",
        "owner_organization",
        jalali_display("due_date", "مهلت"),
        "status",
    )
    list_filter = ("status",)
    search_fields = ("description", "meeting__title")
    # Owners are nullable: Django's automatic select_related() follows only non-null keys,
    # so without this each row fetched its owner person and organisation (16 queries for
    # 5 rows, 56 for 25).
    list_select_related = ("meeting", "owner_person", "owner_organization")
    autocomplete_fields = ("owner_person", "owner_organization")
    fields = (
        "meeting",
        "decision",
        "description",
        "agreement",
        "owner_person",
        "owner_organization",
        "due_date",
        "status",
        "completed_at",
        "completed_by",
        "completion_note",
        "created_at",
        "updated_at",
    )
    #: Only the owner and the due date of an open item change here (action_item_reassign).
    REASSIGNABLE = ("owner_person", "owner_organization", "due_date")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [name for name in self.fields if name not in self.REASSIGNABLE]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # added on the meeting page / API (the owner joins the meeting there)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != ActionItemStatus.OPEN:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ActionItem, form: Any, change: bool) -> None:
        if not any(name in self.REASSIGNABLE for name in form.changed_data):
            return
        data = form.cleaned_data
        item = ActionItem.objects.get(pk=obj.pk)
        self._run_service(
            request,
            lambda: services.action_item_reassign(
                actor=actor_of(request),
                action_item=item,
                owner_person=data.get("owner_person"),
                owner_organization=data.get("owner_organization"),
                due_date=data.get("due_date"),
            ),
        )


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "meeting", "organization", "position_title", "role", "status")
    # __str__ is the person's name (nullable key: not followed automatically).
    list_select_related = ("meeting", "organization", "person")
    list_filter = ("role", "status")
    search_fields = ("group_label", "person__full_name", "meeting__title")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("title", "meeting", "order")
    list_select_related = ("meeting",)
    search_fields = ("title", "meeting__title")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "meeting", "order")
    list_select_related = ("meeting",)
    search_fields = ("text", "meeting__title")


@admin.register(MinutesAddendum)
class MinutesAddendumAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    """Append-only: addenda are added on the meeting page and never changed or removed."""

    list_display = ("__str__", "meeting", "author", jalali_display("created_at", "زمان ثبت"))
    list_select_related = ("meeting", "author")


@admin.register(MeetingEvent)
class MeetingEventAdmin(ReadOnlyMixin, JalaliAdminMixin, admin.ModelAdmin):
    """The audit trail: append-only."""

    list_display = ("kind", "meeting", "actor", jalali_display("at", "زمان"))
    list_select_related = ("meeting", "actor")  # the actor is nullable (system events)
    list_filter = ("kind",)


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "prefix",
        jalali_display("created_at", "زمان ایجاد"),
        jalali_display("revoked_at", "ابطال"),
    )
    readonly_fields = ("prefix", "created_at")
    list_select_related = ("user",)
    fields = ("user", "prefix", "created_at", "revoked_at")

    def has_add_permission(self, request: object) -> bool:
        return False  # the key is shown once, on the calendar page
