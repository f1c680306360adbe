from django.urls import path, re_path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("new/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("<int:pk>/compare/", views.version_compare, name="version_compare"),
    path("<int:pk>/transition/", views.agreement_transition, name="agreement_transition"),
    path("<int:pk>/approve/", views.agreement_approve, name="agreement_approve"),
    path("<int:pk>/parties/add/", views.party_add, name="party_add"),
    path("<int:pk>/signed-scan/", views.signed_scan, name="signed_scan"),
    re_path(
        r"^(?P<pk>[0-9]+)/export/(?P<kind>pdf|docx)/$",
        views.agreement_export,
        name="agreement_export",
    ),
]
