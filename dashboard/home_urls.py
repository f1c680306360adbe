"""The home page at the site root, under the global URL name ``home`` (no namespace, as
``LOGIN_REDIRECT_URL`` and base.html name it); included by tracker/urls.py by its
dotted path, so the project package imports no app for it."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
