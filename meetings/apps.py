from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "جلسات"

    def ready(self) -> None:
        # Agreements sit below meetings and may not import them: the agreement timeline
        # gets its meeting and action-item rows from the provider registered here.
        from agreements.selectors import register_timeline_rows
        from attachments.registry import register as register_attachable

        from .models import Meeting
        from .selectors import agreement_timeline_rows, meeting_list_for_user

        register_timeline_rows(name="meetings", provider=agreement_timeline_rows)
        # Attendance sheets, photos, presentations: seen by whoever sees the meeting,
        # written by the host's staff (as the meeting itself).
        register_attachable(
            slug="meetings",
            model=Meeting,
            label="جلسه",
            visible=lambda user: meeting_list_for_user(user=user),
            writer_organization_ids=lambda meeting: [meeting.host_id],
        )
