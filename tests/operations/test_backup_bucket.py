"""Backups to an S3-compatible bucket: ``manage.py backup`` uploads the tar and prunes the
bucket, ``manage.py restore s3:…`` fetches it and restores exactly the backed-up rows and
files. The bucket is moto's fake S3 (in-process, no network)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.management import CommandError, call_command
from django.db import connection
from moto import mock_aws

from operations import backup_bucket
from organizations.models import Organization
from tests.factories import OrganizationFactory
from tracker.exceptions import ApplicationError

pytestmark = pytest.mark.slow

BUCKET = "tracker-backups"


@pytest.fixture
def bucket(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto's S3 with the backups' bucket configured (created by the first upload)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_S3_BUCKET = BUCKET
    settings.BACKUP_S3_PREFIX = "nightly"
    settings.BACKUP_S3_REGION = "us-east-1"
    settings.BACKUP_S3_ACCESS_KEY_ID = "test-key"
    settings.BACKUP_S3_SECRET_ACCESS_KEY = "test-secret"
    settings.BACKUP_S3_ENDPOINT_URL = ""
    with mock_aws():
        yield boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id="test-key",
            aws_secret_access_key="test-secret",
        )


def _keys(client: Any) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def fresh_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_s3restore_{os.getpid()}"
    original = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_uploads_and_restore_from_the_bucket_gives_back_the_rows_and_files(
    bucket: Any, settings: Any, fresh_database: str
) -> None:
    OrganizationFactory(name="شهرداری قدس")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "scan.pdf").write_bytes(b"%PDF-1.4 signed")
    before = sorted(Organization.objects.values_list("pk", "name"))

    out = StringIO()
    call_command("backup", stdout=out)
    [local] = list(Path(settings.BACKUP_DIR).glob("tracker-*.tar"))
    assert _keys(bucket) == [f"nightly/{local.name}"]
    remote = bucket.get_object(Bucket=BUCKET, Key=f"nightly/{local.name}")["Body"].read()
    assert remote == local.read_bytes()
    assert "uploaded" in out.getvalue()

    # The machine is lost: no local tar, an empty database and media directory.
    local.unlink()
    (media / "scan.pdf").unlink()
    connection.close()
    connection.settings_dict["NAME"] = fresh_database
    out = StringIO()
    call_command("restore", "s3:latest", stdout=out)

    assert sorted(Organization.objects.values_list("pk", "name")) == before
    assert (media / "scan.pdf").read_bytes() == b"%PDF-1.4 signed"
    assert local.name in out.getvalue()


def test_the_bucket_keeps_the_newest_and_leaves_other_objects(bucket: Any) -> None:
    bucket.create_bucket(Bucket=BUCKET)
    names = [f"tracker-2026010{d}T000000Z.tar" for d in range(1, 5)]
    for name in [*names, "notes.txt"]:
        bucket.put_object(Bucket=BUCKET, Key=f"nightly/{name}", Body=b"x")
    bucket.put_object(Bucket=BUCKET, Key="elsewhere/tracker-20260101T000000Z.tar", Body=b"x")

    assert backup_bucket.bucket_prune(keep=2) == names[:2]

    assert _keys(bucket) == sorted(
        [
            "elsewhere/tracker-20260101T000000Z.tar",
            *(f"nightly/{n}" for n in names[2:]),
            "nightly/notes.txt",
        ]
    )


def test_fetch_names_a_missing_backup_and_refuses_other_names(bucket: Any, tmp_path: Path) -> None:
    bucket.create_bucket(Bucket=BUCKET)
    with pytest.raises(ApplicationError, match="هیچ پشتیبانی"):
        backup_bucket.bucket_fetch("s3:latest", directory=tmp_path)
    with pytest.raises(ApplicationError, match="در مخزن S3 نیست"):
        backup_bucket.bucket_fetch("s3:tracker-20260101T000000Z.tar", directory=tmp_path)
    with pytest.raises(ApplicationError, match="نام یک پشتیبان"):
        backup_bucket.bucket_fetch("s3:../../etc/passwd", directory=tmp_path)


def test_a_refused_upload_is_a_clear_error_without_the_secret(
    bucket: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto allows everything; a refused PutObject stands in for a key without write rights."""
    tar = tmp_path / "tracker-20260101T000000Z.tar"
    tar.write_bytes(b"x")
    storage = backup_bucket.bucket_storage()

    def denied(*args: Any, **kwargs: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "PutObject")

    monkeypatch.setattr(storage, "_save", denied)
    monkeypatch.setattr(backup_bucket, "bucket_storage", lambda: storage)
    with pytest.raises(ApplicationError) as caught:
        backup_bucket.bucket_upload(tar)
    assert "AccessDenied" in str(caught.value)
    assert "test-secret" not in str(caught.value)


def test_restore_from_s3_without_a_bucket_configured_says_so(settings: Any) -> None:
    settings.BACKUP_S3_BUCKET = ""
    with pytest.raises(CommandError, match="BACKUP_S3_BUCKET"):
        call_command("restore", "s3:latest")
