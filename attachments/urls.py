from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<slug:slug>/<int:object_id>/", views.attachment_list, name="attachment_list"),
    path(
        "<slug:slug>/<int:object_id>/<int:attachment_id>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<slug:slug>/<int:object_id>/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
