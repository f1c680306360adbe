from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Top layer: backups, health of the processes, retention, logs and metrics."""

    name = "operations"
    verbose_name = "بهره‌برداری"

    def ready(self) -> None:
        # Celery signals: the last run of each periodic task feeds /healthz and the admin.
        from tracker.logging import connect_celery_signals

        from . import heartbeat, metrics

        heartbeat.connect_signals()
        metrics.connect_celery_signals()
        # Request ids on task messages and one log line per task (tracker/logging.py).
        connect_celery_signals()
