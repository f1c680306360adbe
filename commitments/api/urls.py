from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AgreementCommitmentViewSet, CommitmentViewSet, OccurrenceViewSet

router = SimpleRouter()
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("commitment-occurrences", OccurrenceViewSet, basename="commitment-occurrence")

nested = AgreementCommitmentViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("agreements/<int:agreement_pk>/commitments/", nested, name="agreement-commitment-list"),
    *router.urls,
]
