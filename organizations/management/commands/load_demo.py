"""``manage.py load_demo``: the demo data of every app, safe to run again."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: meetings refer to organisations, agreements to the seed meeting.
DEMO_APPS = ("organizations", "meetings", "agreements", "notifications")


class Command(BaseCommand):
    help = "Load (or refresh) the demo data that starts from the Qods seed meeting."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load()
                self.stdout.write(f"demo data: {app}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users: admin, modir, karshenas, nazer; password: {settings.DEMO_PASSWORD}"
            )
        )
