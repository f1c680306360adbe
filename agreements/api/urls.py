from django.urls import re_path
from rest_framework.routers import SimpleRouter

from .views import AgreementViewSet

router = SimpleRouter()
router.register("agreements", AgreementViewSet, basename="agreement")

urlpatterns = [
    *router.urls,
    # The documents keep their file names (no trailing slash, as a client would expect).
    re_path(
        r"^agreements/(?P<pk>[^/]+)/document\.pdf$",
        AgreementViewSet.as_view({"get": "document_pdf"}, filter_backends=[]),
        name="agreement-document-pdf",
    ),
    re_path(
        r"^agreements/(?P<pk>[^/]+)/document\.docx$",
        AgreementViewSet.as_view({"get": "document_docx"}, filter_backends=[]),
        name="agreement-document-docx",
    ),
]
