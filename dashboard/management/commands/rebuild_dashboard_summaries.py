"""``manage.py rebuild_dashboard_summaries``: the dashboard summaries again from the rows.

Recomputes every fact and every registered scope's counts in one transaction (idempotent).
The triggers keep them exact; this is for after a restore, a raw SQL fix that went around
the triggers, or to prove they agree (``--check``: report the differences, change nothing).
``--compact`` only drops the scopes unused for 30 days and folds the counts' delta rows
(what the beat task does every hour).
The rebuild locks the facts (EXCLUSIVE): writers wait for it to commit; if it loses a
deadlock to a writer it is tried again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from dashboard import summaries


class Command(BaseCommand):
    help = "Rebuild the maintained dashboard summaries from the rows (one transaction)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the summaries with a rebuild and report differences; change nothing.",
        )
        parser.add_argument(
            "--compact",
            action="store_true",
            help="Only drop unused scopes and fold the counts' delta rows, one per key.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            differences = summaries.differences_from_rebuild()
            if differences:
                raise CommandError(f"Summaries differ from the rows: {differences}")
            self.stdout.write("Summaries equal the counts from the rows.")
            return
        if options["compact"]:
            dropped = summaries.drop_unused_scopes()
            folded = summaries.compact()
            self.stdout.write(
                f"Dashboard summaries compacted ({folded} rows folded,"
                f" {dropped} unused scopes dropped)."
            )
            return
        for attempt in range(3):
            try:
                summaries.rebuild()
                break
            except OperationalError:  # a deadlock with a writer: it has gone on, try again
                if attempt == 2:
                    raise
        self.stdout.write("Dashboard summaries rebuilt.")
