"""Every API route lives under /api/v1/; each app contributes its own ``api/urls.py``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("organizations.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("agreements.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("dashboard.api.urls")),
]
