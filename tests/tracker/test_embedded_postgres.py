"""The embedded PostgreSQL server of ``make run``: starts in seconds, has pg_trgm, keeps its data.

Each test here drives a throwaway server in a directory of its own; the suite's database is
another server (DATABASE_URL, or the embedded one under var/).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tracker.settings.embedded_postgres import MAX_SOCKET_PATH, EmbeddedPostgres


def traversable_tmpdir() -> Path:
    """A directory the unprivileged server account can reach (pytest's tmp_path is 0700 as root)."""
    path = Path(tempfile.mkdtemp(prefix="tracker-embedded-"))
    path.chmod(0o755)
    return path


@pytest.fixture
def server() -> Iterator[EmbeddedPostgres]:
    var_dir = traversable_tmpdir()
    embedded = EmbeddedPostgres(var_dir)
    try:
        yield embedded
    finally:
        embedded.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def connect(server: EmbeddedPostgres) -> psycopg.Connection:
    s = server.database_settings()
    return psycopg.connect(
        host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=s["NAME"], autocommit=True
    )


def test_a_fresh_server_starts_in_seconds_with_pg_trgm_and_keeps_data_over_a_restart(
    server: EmbeddedPostgres,
) -> None:
    began = time.monotonic()
    assert server.start() is True  # initdb, start, CREATE DATABASE tracker
    assert time.monotonic() - began < 30
    assert server.is_running()
    with connect(server) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")
        similarity = conn.execute("SELECT similarity('شهرک صنعتی', 'شهرک صنعتي')").fetchone()
        assert similarity is not None
        assert 0 < similarity[0] < 1
        conn.execute("CREATE TABLE kept (note text)")
        conn.execute("INSERT INTO kept VALUES ('تفاهم‌نامه')")

    server.stop()
    assert not server.is_running()

    began = time.monotonic()
    assert server.start() is True
    assert time.monotonic() - began < 10  # a restart: no initdb
    with connect(server) as conn:
        assert conn.execute("SELECT note FROM kept").fetchall() == [("تفاهم‌نامه",)]
    # Already running: the second caller neither restarts it nor owns its stop.
    assert server.start() is False


def test_the_server_never_runs_as_root(server: EmbeddedPostgres) -> None:
    server.start()
    owner = server.data_dir.stat().st_uid
    with connect(server) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        assert row is not None
        # Read while connected: the backend process exits as soon as the connection closes.
        backend_uid = Path(f"/proc/{row[0]}").stat().st_uid
    if os.geteuid() == 0:
        assert owner != 0
        assert backend_uid != 0
    else:
        assert owner == os.geteuid()
        assert backend_uid == os.geteuid()
    # Only the owner (and root) may reach the socket: the server trusts whoever connects.
    assert server.socket_dir.stat().st_mode & 0o777 == 0o700


def test_a_deep_checkout_gets_a_short_socket_directory() -> None:
    deep = EmbeddedPostgres(Path("/srv") / ("d" * 120) / "var")
    assert len(str(deep.socket_dir / ".s.PGSQL.5432")) <= MAX_SOCKET_PATH
    assert deep.socket_dir == EmbeddedPostgres(Path("/srv") / ("d" * 120) / "var").socket_dir
    assert EmbeddedPostgres(Path("/srv/v")).socket_dir == Path("/srv/v/postgres/run")


def test_django_settings_reach_the_server_over_its_socket() -> None:
    settings = EmbeddedPostgres(Path("/srv/v")).database_settings()
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["HOST"] == "/srv/v/postgres/run"
    assert settings["NAME"] == "tracker"


@pytest.mark.django_db
def test_the_suites_database_has_pg_trgm() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("SELECT word_similarity('صنعتی', 'شهرک صنعتی قدس')")
        (similarity,) = cursor.fetchone()
    assert similarity == 1
