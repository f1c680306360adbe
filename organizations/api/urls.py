from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import OrganizationViewSet, PersonViewSet, TokenLoginView

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="auth-token"),
    *router.urls,
]
