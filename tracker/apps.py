from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "سامانه"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import lookups  # noqa: F401  (registers ``__anyof``)
        from .admin_display import install
        from .api import schema  # noqa: F401  (registers the Jalali date fields' schema)
        from .api.ids import install as install_whole_ids
        from .api.messages import install as install_api_messages
        from .sessions import stamp_on_login

        install()
        install_api_messages()
        install_whole_ids()  # after the messages: it adds one of its own
        user_logged_in.connect(stamp_on_login, dispatch_uid="tracker-session-renewed")
