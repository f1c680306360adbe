"""Admin of rules, reminders, deliveries and preferences; actions call the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tracker.actors import actor_of
from tracker.exceptions import ApplicationError
from tracker.jalali import JalaliAdminMixin, jalali_display

from . import services
from .models import Delivery, NotificationPreference, Reminder, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("code", "is_active", "offsets", "escalate_after_days", "send_hour")
    list_filter = ("is_active",)
    fieldsets = (
        (None, {"fields": ("code", "is_active", "send_hour")}),
        (
            "زمان‌بندی",
            {
                "fields": ("offsets", "escalate_after_days", "state_limits"),
                "description": (
                    "فاصله‌ها برای جلسات به ساعت و برای بقیه به روز پیش از موعد است، "
                    "مثلاً [24, 1] یا [60, 30, 7]. مهلت هر مرحله: "
                    '{"legal_review": 14}. خالی یعنی پیش‌فرض سامانه.'
                ),
            },
        ),
    )


@admin.register(Reminder)
class ReminderAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "rule",
        "recipient",
        jalali_display("due_at", "زمان ارسال"),
        jalali_display("anchor_at", "زمان مبنا"),
        "state",
    )
    list_filter = ("state", "rule", "content_type")
    search_fields = ("title", "recipient__username", "recipient__email")
    list_select_related = ("recipient",)
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ("send_now",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reminders are made by rules

    @admin.action(description="ارسال اکنون")
    def send_now(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        try:
            result = services.reminders_send_now(
                actor=actor_of(request), reminder_ids=list(queryset.values_list("pk", flat=True))
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request,
            f"{result.dispatched} یادآوری ارسال شد؛ {result.stale + result.expired} "
            "یادآوری کهنه یا منقضی بود.",
        )


@admin.register(Delivery)
class DeliveryAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "reminder",
        "recipient",
        "channel",
        "status",
        "attempts",
        jalali_display("sent_at", "زمان ارسال"),
        "short_error",
    )
    list_filter = ("status", "channel")
    search_fields = ("reminder__title", "recipient__username", "last_error")
    list_select_related = ("reminder", "recipient")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ("retry", "send_now")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="آخرین خطا")
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:80]

    def _run(self, request: HttpRequest, service: Any, queryset: QuerySet[Delivery]) -> None:
        try:
            count = service(
                actor=actor_of(request), delivery_ids=list(queryset.values_list("pk", flat=True))
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, f"{count} تحویل در صف ارسال قرار گرفت.")

    @admin.action(description="ارسال دوباره")
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        self._run(request, services.deliveries_retry, queryset)

    @admin.action(description="ارسال اکنون")
    def send_now(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        self._run(request, services.deliveries_send_now, queryset)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("user", "in_app", "email", "sms", "phone", "mode", "quiet_start", "quiet_end")
    list_filter = ("mode", "sms")
    list_select_related = ("user",)
    search_fields = ("user__username", "phone")
    autocomplete_fields = ("user",)
