"""``manage.py`` in a fresh checkout: embedded mode with nothing configured, strict otherwise."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(tmp_path: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update({"VAR_DIR": str(tmp_path), **extra})
    return subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_with_nothing_configured_manage_py_runs_in_the_embedded_mode(tmp_path: Path) -> None:
    result = _manage(tmp_path, {}, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_with_a_database_but_no_secret_key_manage_py_refuses(tmp_path: Path) -> None:
    result = _manage(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
