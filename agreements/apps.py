from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "تفاهم‌نامه‌ها"

    def ready(self) -> None:
        # Register the tasks in every process, not only in workers (which autodiscover them
        # at start): the old notifications task name and the beat entry reach
        # expire_due_agreements by name only.
        from . import tasks  # noqa: F401
