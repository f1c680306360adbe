from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "سامانه"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers ``__anyof``)
        from .admin_display import install
        from .api import schema  # noqa: F401  (registers the Jalali date fields' schema)
        from .api.messages import install as install_api_messages

        install()
        install_api_messages()
