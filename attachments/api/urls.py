"""``/api/v1/<slug>/<id>/attachments/...`` for every kind registered in attachments.registry.

URLs are loaded after every ``AppConfig.ready()``, so the registry is complete here: a new
app that registers its model gets these routes without touching this file."""

from django.urls import path

from ..registry import attachables
from .views import AttachmentDetailView, AttachmentDownloadView, AttachmentListView

urlpatterns = []
for entry in attachables():
    base = f"{entry.slug}/<int:object_id>/attachments/"
    name = entry.slug.replace("-", "_")
    urlpatterns += [
        path(base, AttachmentListView.as_view(slug=entry.slug), name=f"{name}-attachments"),
        path(
            f"{base}<int:attachment_id>/",
            AttachmentDetailView.as_view(slug=entry.slug),
            name=f"{name}-attachment",
        ),
        path(
            f"{base}<int:attachment_id>/download/",
            AttachmentDownloadView.as_view(slug=entry.slug),
            name=f"{name}-attachment-download",
        ),
    ]
