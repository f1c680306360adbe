from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "جلسات"

    def ready(self) -> None:
        # Agreements sit below meetings and may not import them: the agreement timeline
        # gets its meeting and action-item rows from the provider registered here.
        from agreements.selectors import register_timeline_rows

        from .selectors import agreement_timeline_rows

        register_timeline_rows(name="meetings", provider=agreement_timeline_rows)
