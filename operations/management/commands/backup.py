"""``manage.py backup``: one timestamped tar (database dump, media, manifest); see
``operations.backup``. ``--keep N`` then deletes all but the newest N."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.exceptions import ApplicationError

from ...backup import backup_create, backup_prune


class Command(BaseCommand):
    help = "پشتیبان کامل (پایگاه داده و پرونده‌ها) در یک فایل tar با زمان در نامش"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="پوشه پشتیبان‌ها (پیش‌فرض BACKUP_DIR)")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="پس از پشتیبان‌گیری فقط این تعداد از تازه‌ترین‌ها بماند (پیش‌فرض BACKUP_KEEP)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        try:
            path = backup_create(directory=directory)
            removed = backup_prune(directory=directory, keep=keep) if keep else []
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
        for old in removed:
            self.stdout.write(f"removed {old}")
