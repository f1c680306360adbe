"""URL configuration: pages per app, the admin, the API under /api/v1/, and /healthz."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .favicon import favicon
from .forms import LoginForm
from .password_views import PasswordChangeView

admin.site.site_header = "مدیریت سامانه پیگیری تفاهم‌نامه‌ها"
admin.site.site_title = "مدیریت سامانه"
admin.site.index_title = "بخش‌های سامانه"

urlpatterns = [
    path("", include("dashboard.home_urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/web", views.healthz_web, name="healthz-web"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("organizations/", include("organizations.urls")),
    path("meetings/", include("meetings.urls")),
    path("agreements/", include("agreements.urls")),
    path("commitments/", include("commitments.urls")),
    path("notifications/", include("notifications.urls")),
    path("attachments/", include("attachments.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("imports/", include("imports.urls")),
    # /metrics and /admin/operations/; before the admin's catch-all, which would 404 it.
    path("", include("operations.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tracker.api.urls")),
]

handler400 = "tracker.views.bad_request"
handler403 = "tracker.views.permission_denied"
handler404 = "tracker.views.page_not_found"
handler500 = "tracker.views.server_error"
