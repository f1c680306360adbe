"""Mounted at the root by tracker/urls.py (by name: the ground floor imports no app)."""

from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("admin/operations/", views.status, name="status"),
    path("metrics", views.metrics, name="metrics"),
]
