"""``manage.py restore FILE``: into an empty database and media directory (``--force``
empties them first), then ``migrate`` forward; see ``operations.backup``. ``FILE`` may be
``s3:<name>`` or ``s3:latest``: the tar is fetched from ``BACKUP_S3_BUCKET`` first
(``operations.backup_bucket``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.exceptions import ApplicationError

from ...backup import backup_restore
from ...backup_bucket import PREFIX, bucket_fetch


class Command(BaseCommand):
    help = "بازگردانی یک پشتیبان در پایگاه داده و پوشه پرونده‌های خالی، سپس اجرای مهاجرت‌ها"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="مسیر فایل پشتیبان، یا s3:<نام> / s3:latest از مخزن BACKUP_S3_BUCKET"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="پایگاه داده و پوشه پرونده‌های فعلی پاک و جایگزین شوند",
        )
        parser.add_argument("--no-migrate", action="store_true", help="مهاجرت‌ها اجرا نشوند")

    def handle(self, *args: Any, **options: Any) -> None:
        reference: str = options["file"]
        try:
            with tempfile.TemporaryDirectory(prefix="tracker-fetch-") as work:
                if reference.startswith(PREFIX):
                    archive = bucket_fetch(reference, directory=Path(work))
                else:
                    archive = Path(reference)
                result = backup_restore(
                    archive=archive, force=options["force"], migrate=not options["no_migrate"]
                )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {archive.name} (made {result.manifest['created_at']}):"
            f" {result.files} files, migrated={result.migrated}"
        )
