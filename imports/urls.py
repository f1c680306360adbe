from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_page, name="index"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("template/<str:kind>.<str:suffix>", views.import_template, name="template"),
]
