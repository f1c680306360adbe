from django.urls import path

from . import organization_create, views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("new/", organization_create.organization_create, name="organization_create"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_edit, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_update"),
]
