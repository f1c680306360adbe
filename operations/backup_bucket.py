"""Backups in an S3-compatible bucket (AWS S3, MinIO, …): upload after ``manage.py backup``,
prune to ``BACKUP_KEEP``, fetch for ``manage.py restore s3:NAME``.

The bucket is reached through django-storages' ``S3Storage`` (boto3 underneath, multipart
uploads for large tars), configured by the ``BACKUP_S3_*`` settings: a bucket of its own,
apart from the uploads' media bucket (``AWS_STORAGE_BUCKET_NAME``), so that the backups
survive whatever happens to the media storage and can have their own credentials and
lifecycle rules. The tar is the one ``operations.backup`` wrote locally, byte for byte:
the restore reads it exactly as a local one (manifest, checksum of the dump).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File

from tracker.exceptions import ApplicationError

#: What ``manage.py restore`` takes for a backup in the bucket: ``s3:<name>`` or ``s3:latest``.
PREFIX = "s3:"
LATEST = "latest"
_NAME = re.compile(r"^tracker-\d{8}T\d{6}Z\.tar$")


def bucket_configured() -> bool:
    return bool(settings.BACKUP_S3_BUCKET)


def bucket_storage() -> Any:
    """The backups' bucket as a django-storages storage (objects under ``BACKUP_S3_PREFIX``)."""
    if not bucket_configured():
        raise ApplicationError("هیچ مخزن S3 برای پشتیبان‌ها تنظیم نشده است (BACKUP_S3_BUCKET).")
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=settings.BACKUP_S3_BUCKET,
        location=settings.BACKUP_S3_PREFIX.strip("/"),
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL or None,
        region_name=settings.BACKUP_S3_REGION or None,
        access_key=settings.BACKUP_S3_ACCESS_KEY_ID or None,
        secret_key=settings.BACKUP_S3_SECRET_ACCESS_KEY or None,
        addressing_style=settings.BACKUP_S3_ADDRESSING_STYLE or None,
        # Private objects; the same name again (a retried upload) replaces the object.
        default_acl=None,
        file_overwrite=True,
        querystring_auth=False,
    )


def _storage_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError, OSError)


def _named(exc: BaseException) -> str:
    """The error class (and S3's error code): no credentials or URLs in the message."""
    code = getattr(exc, "response", {}).get("Error", {}).get("Code")
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


def _ensure_bucket(storage: Any) -> None:
    """Create the bucket when it does not exist yet (a new MinIO); AWS buckets usually
    exist already and the credentials may not allow creating one: then only the check."""
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
            raise
        options: dict[str, Any] = {"Bucket": storage.bucket_name}
        region = settings.BACKUP_S3_REGION
        if region and region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(**options)


def bucket_upload(path: Path) -> str:
    """Upload the backup tar ``path``; returns its name in the bucket. The object's size is
    checked against the file's, so a truncated upload is an error, not a backup."""
    storage = bucket_storage()
    try:
        _ensure_bucket(storage)
        with path.open("rb") as fh:
            name = storage.save(path.name, File(fh, name=path.name))
        uploaded = storage.size(name)
    except _storage_errors() as exc:
        raise ApplicationError(f"بارگذاری پشتیبان در مخزن S3 شکست خورد: {_named(exc)}") from exc
    if uploaded != path.stat().st_size:
        raise ApplicationError(
            f"پشتیبان {name} ناقص در مخزن S3 نوشته شد ({uploaded} از {path.stat().st_size} بایت)."
        )
    return str(name)


def bucket_backups() -> list[str]:
    """Names of the backups in the bucket, oldest first (by the time in their names)."""
    storage = bucket_storage()
    try:
        _dirs, files = storage.listdir("")
    except _storage_errors() as exc:
        raise ApplicationError(f"فهرست پشتیبان‌های مخزن S3 خوانده نشد: {_named(exc)}") from exc
    return sorted(name for name in files if _NAME.match(name))


def bucket_prune(*, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups of the bucket; returns the deleted names."""
    if keep < 1:
        raise ApplicationError("تعداد پشتیبان‌های نگه‌داشته باید دست‌کم ۱ باشد.", field="keep")
    removed = bucket_backups()[:-keep]
    storage = bucket_storage()
    for name in removed:
        storage.delete(name)
    return removed


def bucket_fetch(reference: str, *, directory: Path) -> Path:
    """Download the backup ``s3:<name>`` (or ``s3:latest``) into ``directory``."""
    name = reference.removeprefix(PREFIX)
    if name == LATEST:
        names = bucket_backups()
        if not names:
            raise ApplicationError("مخزن S3 هیچ پشتیبانی ندارد.")
        name = names[-1]
    if not _NAME.match(name):
        raise ApplicationError(f"«{name}» نام یک پشتیبان این سامانه نیست (tracker-….tar).")
    storage = bucket_storage()
    target = directory / name
    try:
        if not storage.exists(name):
            raise ApplicationError(f"پشتیبان {name} در مخزن S3 نیست.")
        with storage.open(name, "rb") as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, length=1 << 20)
    except _storage_errors() as exc:
        raise ApplicationError(f"دریافت پشتیبان از مخزن S3 شکست خورد: {_named(exc)}") from exc
    return target
