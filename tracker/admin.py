"""django-axes' admin pages (lockouts, failures, successful logins), Persian and Jalali.

Axes registers its three models itself; they are registered again here with the Jalali
mixin that every admin with dates uses. A lockout is cleared by deleting its
"access attempt" row (the changelist's delete action), as axes documents.

What axes' own Persian translation leaves in English or Gregorian is replaced here: the
lockout status column and filter, the clean-up action, the expiry field, the date
hierarchy (Gregorian year and month links: dropped, the date filter stays), and the rows'
names (``__str__``: English with an ISO time), which the admin shows as the change page's
title, in the delete confirmation and in its own action log.

Also here: the admin's own password change (``/admin/password_change/``) takes the
axes-counted form of ``/accounts/password/change/`` (see the end of this module).
"""

from __future__ import annotations

from types import MethodType
from typing import Any

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.views import PasswordChangeView
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from tracker.forms import AxesPasswordChangeForm
from tracker.jalali import JalaliAdminMixin, format_datetime
from tracker.text import to_persian_digits


def _attempt_name(self: AccessAttempt) -> str:
    return f"تلاش ورود «{self.username}» از {self.ip_address}، {format_datetime(self.attempt_time)}"


def _log_name(self: AccessLog) -> str:
    return f"ورود «{self.username}» از {self.ip_address}، {format_datetime(self.attempt_time)}"


def _failure_name(self: AccessFailureLog) -> str:
    locked = "، قفل شد" if self.locked_out else ""
    return (
        f"ورود ناموفق «{self.username}» از {self.ip_address}، "
        f"{format_datetime(self.attempt_time)}{locked}"
    )


# Assigned here, not in a subclass: the admin names rows by their own model's __str__.
AccessAttempt.__str__ = _attempt_name  # type: ignore[method-assign,assignment]
AccessLog.__str__ = _log_name  # type: ignore[method-assign,assignment]
AccessFailureLog.__str__ = _failure_name  # type: ignore[method-assign,assignment]


def _failure_limit() -> int | None:
    limit = axes_settings.AXES_FAILURE_LIMIT
    return limit if isinstance(limit, int) and limit > 0 else None


#: axes' fields shown through a Persian display of ours (Jalali time, Persian digits).
_RENAMED = {"expiration": "expiration_jalali", "failures_since_start": "failures_fa"}


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    title = "قفل‌شده"


class AccessAttemptAdmin(JalaliAdminMixin, axes_admin.AccessAttemptAdmin):
    date_hierarchy = None
    actions = ["cleanup_expired_attempts"]

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = [
            _RENAMED.get(name, name)
            for name in super().get_list_display(request)
            if name not in ("status", "expiration")
        ]
        if axes_settings.AXES_USE_ATTEMPT_EXPIRATION:
            shown.append("expiration_jalali")
        if _failure_limit() is not None:
            shown.append("status_fa")
        return shown

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [
            LockedOutFilter if f is axes_admin.IsLockedOutFilter else f
            for f in super().get_list_filter(request)
        ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                title,
                {
                    **options,
                    "fields": tuple(_RENAMED.get(f, f) for f in options["fields"]),
                },
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [_RENAMED.get(f, f) for f in super().get_readonly_fields(request, obj)]

    @admin.display(description="پایان قفل")
    def expiration_jalali(self, obj: AccessAttempt) -> str:
        expiration = getattr(obj, "expiration", None)
        if expiration is None:
            return "تعیین نشده"
        return format_datetime(expiration.expires_at)

    @admin.display(description="ورودهای ناموفق", ordering="failures_since_start")
    def failures_fa(self, obj: AccessAttempt) -> str:
        return to_persian_digits(str(obj.failures_since_start))

    @admin.display(description="وضعیت")
    def status_fa(self, obj: AccessAttempt) -> str:
        limit = _failure_limit()
        if limit is None or obj.failures_since_start >= limit:
            return "قفل شده"
        return f"{to_persian_digits(str(limit - obj.failures_since_start))} تلاش باقی مانده"

    @admin.action(description="پاک کردن تلاش‌های منقضی")
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"{to_persian_digits(str(count))} تلاش منقضی پاک شد.")


class AccessLogAdmin(JalaliAdminMixin, axes_admin.AccessLogAdmin):
    date_hierarchy = None


class AccessFailureLogAdmin(JalaliAdminMixin, axes_admin.AccessFailureLogAdmin):
    date_hierarchy = None


for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)


# --- The admin's own password change ---------------------------------------------------
# Django's /admin/password_change/ checks the current password with check_password(),
# which django-axes never sees: a way around the login's lockout. It takes the form of
# /accounts/password/change/ instead (the current password through authenticate(), counted
# like a failed login; refused with the lockout answer once the username is locked).


class AxesAdminPasswordChangeForm(AxesPasswordChangeForm):
    required_css_class = "required"


class _AdminPasswordChangeView(PasswordChangeView):
    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


def _admin_password_change(
    self: admin.AdminSite, request: HttpRequest, extra_context: dict[str, Any] | None = None
) -> Any:
    defaults: dict[str, Any] = {
        "form_class": AxesAdminPasswordChangeForm,
        "success_url": reverse("admin:password_change_done", current_app=self.name),
        "extra_context": {**self.each_context(request), **(extra_context or {})},
    }
    if self.password_change_template is not None:
        defaults["template_name"] = self.password_change_template
    request.current_app = self.name
    return _AdminPasswordChangeView.as_view(**defaults)(request)


# Before the admin's URLs are built (tracker/urls.py), which wrap this bound method.
admin.site.password_change = MethodType(_admin_password_change, admin.site)  # type: ignore[method-assign]
