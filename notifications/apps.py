from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "یادآوری‌ها و اعلان‌ها"

    def ready(self) -> None:
        # Register the tasks in every process, not only in workers (which autodiscover them
        # at start): the services enqueue the send task by name, and only a registered task
        # is run with its own options and CELERY_TASK_ALWAYS_EAGER (else: a bare send_task).
        from . import tasks  # noqa: F401
