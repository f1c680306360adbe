"""``manage.py seed_demo --scale N``: bulk demo data for benchmarks (see dashboard/seeding/).

Scale 1 is about 200 organisations, 10,000 meetings, 50,000 action items and 2,000
agreements. Rows are written with ``bulk_create``, not through the services (which would
take hours and audit every row); the database constraints and the workflow still hold.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dashboard import seeding
from organizations.models import Organization
from tracker.jalali import parse_date


class Command(BaseCommand):
    help = "Bulk-insert realistic Persian demo data (organisations, meetings, agreements)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1 ≈ 10,000 meetings")
        parser.add_argument("--seed", type=int, default=1399, help="random seed")
        parser.add_argument("--today", default="", help="reference date (ISO or Jalali)")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if Organization.objects.filter(kind="estates_company", name__endswith="(نمونه)").exists():
            raise CommandError("This database is already seeded: use a fresh database.")
        today = parse_date(options["today"]) if options["today"] else timezone.localdate()
        started = time.perf_counter()
        counts = seeding.seed(scale=scale, seed=options["seed"], today=today)
        elapsed = time.perf_counter() - started
        for label, n in sorted(counts.rows.items()):
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(self.style.SUCCESS(f"seeded scale {scale} in {elapsed:.1f}s"))
