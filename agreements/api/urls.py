from rest_framework.routers import SimpleRouter

from .views import AgreementViewSet

router = SimpleRouter()
router.register("agreements", AgreementViewSet, basename="agreement")

urlpatterns = [*router.urls]
