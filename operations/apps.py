from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Top layer: backups, health of the processes, retention, logs and metrics."""

    name = "operations"
    verbose_name = "بهره‌برداری"

    def ready(self) -> None:
        # Celery signals: the last run of each periodic task feeds /healthz and the admin.
        from . import heartbeat

        heartbeat.connect_signals()
