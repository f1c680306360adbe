"""Admin of meetings (in Persian, Jalali dates). Rows are edited in place here: the admin is
the superuser's repair tool; everyday writes go through the pages and the API services."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from tracker.jalali import JalaliAdminMixin, jalali_display

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


class AttendanceInline(JalaliAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ("person", "organization")
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


class AgendaItemInline(JalaliAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0


class DecisionInline(JalaliAdminMixin, admin.TabularInline):
    model = Decision
    extra = 0


class ActionItemInline(JalaliAdminMixin, admin.TabularInline):
    model = ActionItem
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ("owner_person", "owner_organization")
    fields = ("description", "owner_person", "owner_organization", "due_date", "status")


class AddendumInline(JalaliAdminMixin, admin.TabularInline):
    model = MinutesAddendum
    extra = 0
    readonly_fields = ("author", "created_at")


@admin.register(Meeting)
class MeetingAdmin(JalaliAdminMixin, admin.ModelAdmin):
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
    autocomplete_fields = ("host", "participants", "series", "agreements")
    readonly_fields = ("created_by", "created_at", "updated_at", "minutes_approved_by")
    date_hierarchy = "start"
    formfield_overrides = {
        **JalaliAdminMixin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
    inlines = (AttendanceInline, AgendaItemInline, DecisionInline, ActionItemInline, AddendumInline)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("title", jalali_display("created_at", "زمان ایجاد"))
    search_fields = ("title",)


@admin.register(ActionItem)
class ActionItemAdmin(JalaliAdminMixin, admin.ModelAdmin):
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
    autocomplete_fields = ("meeting", "owner_person", "owner_organization", "agreement")
    raw_id_fields = ("decision",)


@admin.register(Attendance)
class AttendanceAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "meeting", "organization", "position_title", "role", "status")
    list_filter = ("role", "status")
    search_fields = ("group_label", "person__full_name", "meeting__title")
    autocomplete_fields = ("meeting", "person", "organization")


@admin.register(AgendaItem)
class AgendaItemAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("title", "meeting", "order")
    search_fields = ("title", "meeting__title")
    autocomplete_fields = ("meeting",)


@admin.register(Decision)
class DecisionAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "meeting", "order")
    search_fields = ("text", "meeting__title")
    autocomplete_fields = ("meeting",)


@admin.register(MinutesAddendum)
class MinutesAddendumAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "meeting", "author", jalali_display("created_at", "زمان ثبت"))
    autocomplete_fields = ("meeting",)

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # append-only


@admin.register(MeetingEvent)
class MeetingEventAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "meeting", "actor", jalali_display("at", "زمان"))
    list_filter = ("kind",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "prefix",
        jalali_display("created_at", "زمان ایجاد"),
        jalali_display("revoked_at", "ابطال"),
    )
    readonly_fields = ("prefix", "created_at")
    fields = ("user", "prefix", "created_at", "revoked_at")

    def has_add_permission(self, request: object) -> bool:
        return False  # the key is shown once, on the calendar page
