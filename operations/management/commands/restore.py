"""``manage.py restore FILE``: into an empty database and media directory (``--force``
empties them first), then ``migrate`` forward; see ``operations.backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.exceptions import ApplicationError

from ...backup import backup_restore


class Command(BaseCommand):
    help = "بازگردانی یک پشتیبان در پایگاه داده و پوشه پرونده‌های خالی، سپس اجرای مهاجرت‌ها"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="پایگاه داده و پوشه پرونده‌های فعلی پاک و جایگزین شوند",
        )
        parser.add_argument("--no-migrate", action="store_true", help="مهاجرت‌ها اجرا نشوند")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(
                archive=options["file"], force=options["force"], migrate=not options["no_migrate"]
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {options['file']} (made {result.manifest['created_at']}):"
            f" {result.files} files, migrated={result.migrated}"
        )
