"""django-axes' admin pages (lockouts, failures, successful logins), with Jalali dates.

Axes registers its three models itself; they are registered again here with the Jalali
mixin that every admin with dates uses. A lockout is cleared by deleting its
"access attempt" row (the changelist's delete action), as axes documents.
"""

from __future__ import annotations

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from tracker.jalali import JalaliAdminMixin


class AccessAttemptAdmin(JalaliAdminMixin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(JalaliAdminMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(JalaliAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
