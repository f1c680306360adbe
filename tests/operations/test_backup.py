"""Backup → change → restore into a fresh database finds exactly the backed-up rows and files.

``pg_dump`` and ``pg_restore`` are separate processes: they see only committed rows, hence
``transactional_db``. The restore goes into a database of its own, created and dropped
here on the same PostgreSQL server, with the default connection pointed at it meanwhile.
"""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.models import Agreement
from operations import backup, pgtools
from organizations.models import Organization
from tests.factories import AgreementFactory, OrganizationFactory
from tracker.exceptions import ApplicationError

pytestmark = pytest.mark.slow


def _snapshot() -> dict[str, Any]:
    return {
        "organizations": sorted(Organization.objects.values_list("pk", "name")),
        "agreements": sorted(
            Agreement.objects.values_list("pk", "reference_number", "title", "signed_scan")
        ),
    }


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_DIR = tmp_path / "backups"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database on the test server; the default connection points at it inside."""
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"
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


def _use(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_exactly_the_backed_up_rows_and_files(
    media: Path, settings: Any, fresh_database: str
) -> None:
    owner = OrganizationFactory(name="شهرداری قدس")
    OrganizationFactory(name="شهرک صنعتی قدس")
    kept = AgreementFactory(owning_organization=owner, title="تفاهم‌نامه همکاری")
    kept.signed_scan.save("scan.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)
    (media / "notes").mkdir(parents=True)
    (media / "notes" / "یادداشت.txt").write_bytes("متن".encode())
    before_rows, before_files = _snapshot(), _files(media)
    original_db = connection.settings_dict["NAME"]

    archive = backup.backup_create()

    # After the backup: a new row, a changed row, a deleted row and file, a new file.
    OrganizationFactory(name="پس از پشتیبان")
    Organization.objects.filter(name="شهرک صنعتی قدس").update(name="تغییرکرده")
    (media / "notes" / "یادداشت.txt").unlink()
    (media / "late.txt").write_bytes(b"late")
    assert _snapshot() != before_rows
    assert _files(media) != before_files

    # A new machine: empty database, empty media directory.
    for path in sorted(media.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    _use(fresh_database)
    result = backup.backup_restore(archive=archive)

    assert result.files == len(before_files)
    assert _snapshot() == before_rows
    assert _files(media) == before_files
    assert result.manifest["database"] == original_db
    assert result.manifest["media_files"] == 2


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(media: Path) -> None:
    OrganizationFactory()
    archive = backup.backup_create()
    with pytest.raises(ApplicationError, match="--force"):
        backup.backup_restore(archive=archive)
    with pytest.raises(CommandError, match="خالی نیست"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_restore_force_replaces_the_database_and_media(media: Path, fresh_database: str) -> None:
    OrganizationFactory(name="در پشتیبان")
    media.mkdir(parents=True)
    (media / "a.txt").write_bytes(b"a")
    archive = backup.backup_create()
    (media / "a.txt").unlink()
    _use(fresh_database)
    backup.backup_restore(archive=archive)
    OrganizationFactory(name="بعدی")
    (media / "b.txt").write_bytes(b"b")

    backup.backup_restore(archive=archive, force=True)

    assert list(Organization.objects.values_list("name", flat=True)) == ["در پشتیبان"]
    assert _files(media) == {"a.txt": b"a"}


@pytest.mark.django_db(transaction=True)
def test_archive_is_one_tar_with_manifest_dump_and_media(media: Path) -> None:
    media.mkdir(parents=True)
    (media / "x.bin").write_bytes(b"x")
    archive = backup.backup_create()
    assert archive.parent == Path(backup.backup_directory())
    assert archive.name.startswith("tracker-")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[:2] == ["manifest.json", "database.dump"]
    assert "media/x.bin" in names
    manifest = backup.read_manifest(archive)
    assert manifest["migrations"]["organizations"].startswith("00")
    assert manifest["pg_dump_major"] >= manifest["server_major"]


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    names = [f"tracker-2026010{d}T000000Z.tar" for d in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "unrelated.tar").write_bytes(b"")
    removed = backup.backup_prune(directory=tmp_path, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == [*names[3:], "unrelated.tar"]


def test_binary_too_old_is_refused_with_a_clear_message(settings: Any, tmp_path: Path) -> None:
    settings.PG_BIN_DIR = str(tmp_path)
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.1'\n")
    fake.chmod(0o755)
    with pytest.raises(ApplicationError, match="PG_BIN_DIR"):
        pgtools.find_binary("pg_dump", min_major=15)
    assert pgtools.find_binary("pg_dump", min_major=9).major == 9


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "x.tar"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(ApplicationError, match="معتبر"):
        backup.read_manifest(bogus)
