from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "commitments"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.occurrence_list, name="occurrence_list"),
    path("<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("<int:pk>/delete/", views.commitment_delete, name="commitment_delete"),
    path("occurrences/<int:pk>/move/", views.occurrence_move, name="occurrence_move"),
    path("new/<int:agreement_pk>/", views.commitment_create, name="commitment_create"),
]
