"""Backups: one tar per run holding a ``pg_dump -Fc`` of the database, the uploaded files
and a manifest; restore into an empty database and media directory, then migrate forward.

Checked first: django-dbbackup (its ``dbbackup``/``mediabackup`` write two separate files,
so a restore can pair a dump with the wrong media set, and it has no "refuse a non-empty
target" guard) and pgBackRest/WAL-G (physical backups of the whole cluster, documented in
docs/operations.md for point-in-time recovery, not a portable per-database file). What is
left is small: run the right ``pg_dump``/``pg_restore`` (``pgtools``) and pack one tar.

A ``pg_dump`` is consistent by itself (one repeatable-read snapshot). The media files are
copied after it: an upload made during those seconds may be in the tar without a row
pointing at it, never the other way round in a way that loses a file a row names, since
files are written before their row is committed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tracker.exceptions import ApplicationError

from . import pgtools

FORMAT_VERSION = 1
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
_NAME = re.compile(r"^tracker-\d{8}T\d{6}Z\.tar$")


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    migrated: bool


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _applied_migrations() -> dict[str, str]:
    """App label → name of its last applied migration (names sort by their number)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return latest


def backup_directory() -> Path:
    return Path(settings.BACKUP_DIR)


def backup_create(*, directory: Path | None = None, now: datetime | None = None) -> Path:
    """Write ``tracker-<UTC time>.tar`` into ``directory`` and return its path.

    The tar is written under a ``.partial`` name and renamed at the end, so a crash never
    leaves a file that looks like a backup and is not one.
    """
    directory = directory or backup_directory()
    directory.mkdir(parents=True, exist_ok=True)
    moment = (now or timezone.now()).astimezone(UTC)
    target = directory / f"tracker-{moment:%Y%m%dT%H%M%SZ}.tar"
    if target.exists():
        raise ApplicationError(f"پشتیبان {target.name} از پیش وجود دارد.")
    server = pgtools.server_major()
    pg_dump = pgtools.find_binary("pg_dump", min_major=server, prefer_major=server)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dump = Path(work) / DUMP_NAME
        _run(
            [str(pg_dump.path), "--format=custom", "--no-password", f"--file={dump}"],
            env=pgtools.libpq_env(),
            what="pg_dump",
        )
        files = list(_media_files(media_root))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": moment.isoformat(),
            "database": settings.DATABASES["default"]["NAME"],
            "server_major": server,
            "pg_dump": pg_dump.version,
            "pg_dump_major": pg_dump.major,
            "dump_sha256": _sha256(dump),
            "migrations": _applied_migrations(),
            "media_files": len(files),
            "media_bytes": sum(p.stat().st_size for p in files),
        }
        partial = Path(work) / (target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(body)
            info.mtime = int(moment.timestamp())
            tar.addfile(info, io.BytesIO(body))
            tar.add(dump, arcname=DUMP_NAME)
            for path in files:
                tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        partial.rename(target)
    return target


def backup_prune(*, directory: Path | None = None, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (by the time in their names)."""
    directory = directory or backup_directory()
    if keep < 1:
        raise ApplicationError("تعداد پشتیبان‌های نگه‌داشته باید دست‌کم ۱ باشد.", field="keep")
    backups = sorted(p for p in directory.glob("tracker-*.tar") if _NAME.match(p.name))
    removed = backups[:-keep]
    for path in removed:
        path.unlink()
    return removed


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise KeyError(MANIFEST_NAME)
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise ApplicationError(f"{archive} پشتیبان معتبر این سامانه نیست.") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ApplicationError(f"قالب پشتیبان {manifest.get('format')} شناخته نیست.")
    return manifest


def _database_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname NOT IN "
            "('pg_catalog', 'information_schema') ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]


def _empty_database() -> None:
    """``--force``: drop every object of the public schema (the dump recreates them)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def backup_restore(*, archive: Path, force: bool = False, migrate: bool = True) -> RestoreResult:
    """Restore ``archive`` into the configured database and ``MEDIA_ROOT``.

    Both must be empty (no table, no file) unless ``force``; then they are emptied first.
    Not one transaction with the caller: ``pg_restore`` runs as its own process, in its own
    single transaction, so a failed restore leaves the database as empty as it found it.
    """
    manifest = read_manifest(archive)
    media_root = Path(settings.MEDIA_ROOT)
    tables = _database_tables()
    existing_files = list(_media_files(media_root))
    if (tables or existing_files) and not force:
        raise ApplicationError(
            "پایگاه داده یا پوشه پرونده‌ها خالی نیست"
            f" ({len(tables)} جدول، {len(existing_files)} پرونده)؛"
            " برای جایگزینی، --force را بدهید."
        )
    server = pgtools.server_major()
    # It must read the archive (as new as the pg_dump that wrote it) and talk to the server.
    need = max(server, int(manifest["pg_dump_major"]))
    pg_restore = pgtools.find_binary("pg_restore", min_major=need, prefer_major=server)
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as work:
        with tarfile.open(archive, "r") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the tree and
            # device files: a tampered archive cannot write outside the work directory.
            tar.extractall(work, filter="data")
        dump = Path(work) / DUMP_NAME
        if _sha256(dump) != manifest["dump_sha256"]:
            raise ApplicationError("نسخه پایگاه داده در پشتیبان خراب است (چکیده نمی‌خواند).")
        if force:
            _empty_database()
            shutil.rmtree(media_root, ignore_errors=True)
        connection.close()
        _run(
            [
                str(pg_restore.path),
                "--no-password",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(dump),
            ],
            env=pgtools.libpq_env(),
            what="pg_restore",
        )
        media_source = Path(work) / MEDIA_PREFIX
        count = 0
        if media_source.is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            for path in _media_files(media_source):
                destination = media_root / path.relative_to(media_source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                count += 1
    if migrate:
        # The backup may be older than the code: bring its schema forward.
        call_command("migrate", interactive=False, verbosity=0)
    return RestoreResult(manifest=manifest, files=count, migrated=migrate)


def _run(args: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        subprocess.run(  # noqa: S603 -- binaries resolved by pgtools, no shell
            args, env=env, check=True, capture_output=True, text=True, timeout=3600
        )
    except subprocess.CalledProcessError as exc:
        # stderr of pg_dump names tables and settings, never row contents or the password.
        raise ApplicationError(f"{what} شکست خورد: {exc.stderr.strip()[-500:]}") from exc
