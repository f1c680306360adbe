"""``manage.py`` in a fresh checkout: embedded mode with nothing configured, strict otherwise."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.settings.embedded_postgres import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent


def _manage(var_dir: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update({"VAR_DIR": str(var_dir), **extra})
    return subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def var_dir() -> Iterator[Path]:
    # Not tmp_path: as root the server runs as another account, which must reach the
    # directory (pytest's is 0700).
    path = Path(tempfile.mkdtemp(prefix="tracker-manage-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        EmbeddedPostgres(path).stop()
        shutil.rmtree(path, ignore_errors=True)


def test_with_nothing_configured_a_command_starts_the_embedded_server_and_stops_it(
    var_dir: Path,
) -> None:
    result = _manage(var_dir, {}, "migrate", "--check")
    # --check exits non-zero when migrations are unapplied: it reached the database.
    assert result.returncode == 1, result.stderr
    server = EmbeddedPostgres(var_dir)
    assert server.initialised
    assert not server.is_running()  # started for the command, stopped after it

    result = _manage(var_dir, {}, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_server_that_was_already_running_is_left_running(var_dir: Path) -> None:
    server = EmbeddedPostgres(var_dir)
    assert server.start()
    result = _manage(var_dir, {}, "check", "--database", "default")
    assert result.returncode == 0, result.stderr
    assert server.is_running()


def test_with_a_database_but_no_secret_key_manage_py_refuses(var_dir: Path) -> None:
    url = "postgres://postgres@127.0.0.1:1/tracker"
    result = _manage(var_dir, {"DATABASE_URL": url}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_database_other_than_postgresql_is_refused(var_dir: Path) -> None:
    url = "mysql://tracker@127.0.0.1:3306/tracker"
    result = _manage(var_dir, {"DATABASE_URL": url, "SECRET_KEY": "x" * 50}, "check")
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr
