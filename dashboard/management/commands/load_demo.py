"""``manage.py load_demo``: the demo data of every app, safe to run again.

It lives in the top layer because it calls every app's demo loader; the apps below know
nothing of each other's demo data beyond what they build on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from agreements import demo as agreements_demo
from meetings import demo as meetings_demo
from notifications import demo as notifications_demo
from organizations import demo as organizations_demo

# Order matters: meetings refer to organisations, agreements to the seed meeting, and the
# notifications' reminders to both.
DEMO_LOADERS = (
    ("organizations", organizations_demo.load),
    ("meetings", meetings_demo.load),
    ("agreements", agreements_demo.load),
    ("notifications", notifications_demo.load),
)


class Command(BaseCommand):
    help = "Load (or refresh) the demo data that starts from the Qods seed meeting."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for app, load in DEMO_LOADERS:
                load()
                self.stdout.write(f"demo data: {app}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users: admin, modir, karshenas, nazer; password: {settings.DEMO_PASSWORD}"
            )
        )
