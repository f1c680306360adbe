from django.urls import URLPattern, URLResolver, path

from . import agreement_draft, intake_pages, views

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_log, name="meeting_log"),
    path("from-text/", intake_pages.meeting_from_text, name="meeting_from_text"),
    path("<int:pk>/confirm/", intake_pages.meeting_confirm, name="meeting_confirm"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/mark-held/", views.meeting_mark_held, name="meeting_mark_held"),
    path("<int:pk>/approve-minutes/", views.meeting_approve_minutes, name="meeting_approve"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/respond/", views.meeting_respond, name="meeting_respond"),
    path(
        "<int:pk>/agreement-draft/",
        agreement_draft.meeting_agreement_draft,
        name="meeting_agreement_draft",
    ),
    path("<int:pk>/addenda/", views.meeting_addendum, name="meeting_addendum"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("calendar/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path(
        "action-items/<int:pk>/complete/", views.action_item_complete, name="action_item_complete"
    ),
    path(
        "action-items/<int:pk>/reassign/", views.action_item_reassign, name="action_item_reassign"
    ),
]
