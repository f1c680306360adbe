"""Every API route lives under /api/v1/; each app contributes its own ``api/urls.py``."""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.views import page_not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("organizations.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("agreements.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("commitments.api.urls")),
    path("", include("dashboard.api.urls")),
    path("", include("imports.api.urls")),
    path("", include("attachments.api.urls")),
    # Last: any other path under /api/v1/ is the JSON 404 here too. With DEBUG on, Django
    # answers an unrouted path with its own HTML page and never calls handler404. Only paths
    # with a trailing slash, so that APPEND_SLASH still redirects «meetings» to «meetings/».
    # CSRF-exempt like DRF's views: it changes nothing, and a POST with a session cookie but
    # no token must get this JSON 404, not the CSRF failure's HTML 403.
    re_path(r"^.+/$", csrf_exempt(page_not_found), name="api-not-found"),
]
