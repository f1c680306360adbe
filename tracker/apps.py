from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "سامانه"

    def ready(self) -> None:
        from .admin_display import install

        install()
