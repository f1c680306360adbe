from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "داشبورد، آمار و خروجی‌ها"

    def ready(self) -> None:
        # Cache invalidation of the aggregates follows writes of the models they read.
        from . import cache

        cache.connect_invalidation_signals()
