from django.urls import path
from rest_framework.routers import SimpleRouter

from .. import export_views
from . import views

router = SimpleRouter()
router.register("tokens", views.ApiTokenViewSet, basename="apitoken")

urlpatterns = [
    path(
        "stats/agreements-by-status/",
        views.AgreementsByStatusView.as_view(),
        name="stats-agreements-by-status",
    ),
    path(
        "stats/state-durations/", views.StateDurationsView.as_view(), name="stats-state-durations"
    ),
    path("stats/timeline/", views.TimelineView.as_view(), name="stats-timeline"),
    path("stats/action-items/", views.ActionItemStatsView.as_view(), name="stats-action-items"),
    path("stats/upcoming/", views.UpcomingView.as_view(), name="stats-upcoming"),
    path("stats/commitments/", views.CommitmentStatsView.as_view(), name="stats-commitments"),
    path(
        "exports/<str:kind>.<str:suffix>",
        export_views.ExportView.as_view(),
        name="export",
    ),
    *router.urls,
]
