"""``manage.py backup``: one timestamped tar (database dump, media, manifest); see
``operations.backup``. ``--keep N`` then deletes all but the newest N. With
``BACKUP_S3_BUCKET`` set the tar is also uploaded to that bucket, which keeps N too
(``operations.backup_bucket``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.exceptions import ApplicationError

from ...backup import backup_create, backup_prune
from ...backup_bucket import bucket_configured, bucket_prune, bucket_upload


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
        parser.add_argument(
            "--no-s3",
            action="store_true",
            help="در مخزن S3 (BACKUP_S3_BUCKET) بارگذاری نشود، حتی اگر تنظیم شده باشد",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        upload = bucket_configured() and not options["no_s3"]
        try:
            path = backup_create(directory=directory)
            uploaded = bucket_upload(path) if upload else None
            removed = backup_prune(directory=directory, keep=keep) if keep else []
            removed_remote = bucket_prune(keep=keep) if upload and keep else []
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
        if uploaded:
            self.stdout.write(f"uploaded s3://{settings.BACKUP_S3_BUCKET}/… {uploaded}")
        for old in removed:
            self.stdout.write(f"removed {old}")
        for name in removed_remote:
            self.stdout.write(f"removed s3:{name}")
