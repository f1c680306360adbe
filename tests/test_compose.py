"""The deployment files agree with each other and with the settings.

docker-compose.yml, the Dockerfile and .env.example are not executed by the suite (there is
no Docker engine in CI), so these tests read them as data: a variable renamed in settings, a
new app directory or a new setting without an .env.example line fails here, not in production.
"""

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DIR = ROOT / "tracker" / "settings"
APP_SERVICES = ("web", "worker", "beat")

# Matches the reads of env.<type>, env.db_url, env itself, environ.Env().<type>,
# os.environ.get and os.getenv with a literal name, which may sit on the next line.
_ENV_READ = re.compile(
    r"""\b(?:env|environ\.Env\(\))(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|\bos\.(?:environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
_EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def settings_variables() -> set[str]:
    """Every environment variable the settings package reads."""
    names: set[str] = set()
    for path in SETTINGS_DIR.glob("*.py"):
        for match in _ENV_READ.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def command_text(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    if isinstance(command, list):
        return " ".join(str(part) for part in command)
    return str(command)


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the "NAME=value" list form
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_settings_regex_finds_the_core_variables() -> None:
    # Guards the guard: if the settings style changes, the checks below must not go blind.
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= (
        settings_variables()
    )


def test_compose_defines_the_services(services: dict[str, Any]) -> None:
    assert set(services) == {
        "db",
        "redis",
        "web",
        "worker",
        "beat",
        "backup",
        "minio",
        "minio-init",
    }


def test_minio_is_an_opt_in_private_upload_store(
    services: dict[str, Any], compose: dict[str, Any]
) -> None:
    minio, init = services["minio"], services["minio-init"]
    # Opt-in: the default stack keeps uploads in the media volume that the backup copies.
    assert minio["profiles"] == ["s3"]
    assert init["profiles"] == ["s3"]
    assert re.fullmatch(r"minio/minio:RELEASE\..+", minio["image"])
    assert re.fullmatch(r"minio/mc:RELEASE\..+", init["image"])
    assert "server /data" in command_text(minio)
    assert any(str(v).startswith("miniodata:") for v in minio["volumes"])
    assert "miniodata" in compose["volumes"]
    assert minio["healthcheck"]["test"]
    # The bucket is made once; nothing makes it public.
    entry = " ".join(init["entrypoint"])
    assert "mc mb --ignore-existing" in entry
    assert "anonymous" not in entry
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    # The app reaches it through the settings' S3 variables.
    env = environment(services["web"])
    assert env["AWS_S3_ENDPOINT_URL"].endswith(":-http://minio:9000}")
    assert env["AWS_STORAGE_BUCKET_NAME"] == "${AWS_STORAGE_BUCKET_NAME:-}"
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ATTACHMENT_MAX_BYTES"):
        assert name in env
    # The backups' own bucket can live in the same MinIO (docs/operations.md); empty: local.
    assert environment(services["backup"])["BACKUP_S3_BUCKET"] == "${BACKUP_S3_BUCKET:-}"


def test_backup_service_runs_the_backup_command_daily_and_keeps_some(
    services: dict[str, Any], compose: dict[str, Any]
) -> None:
    backup = services["backup"]
    command = command_text(backup)
    assert "manage.py backup --keep" in command
    assert "sleep" in command
    env = environment(backup)
    assert env["BACKUP_INTERVAL"].endswith(":-86400}")
    assert "BACKUP_KEEP" in env
    assert backup["image"] == services["web"]["image"]
    mounts = {str(v).split(":", 1)[1] for v in backup["volumes"]}
    assert {"/app/var/media", "/app/var/backups"} <= mounts
    assert {"media", "backups"} <= set(compose["volumes"])
    # web writes the uploads the backup copies: the same named volume.
    assert any(str(v).startswith("media:") for v in services["web"]["volumes"])
    assert backup["depends_on"]["web"]["condition"] == "service_healthy"


def test_database_and_broker_images_are_pinned_to_major_versions(
    services: dict[str, Any],
) -> None:
    assert re.fullmatch(r"postgres:16([.\-].*)?", services["db"]["image"])
    assert re.fullmatch(r"redis:7([.\-].*)?", services["redis"]["image"])


def test_database_keeps_its_data_in_a_named_volume(compose: dict[str, Any]) -> None:
    volumes = compose["services"]["db"]["volumes"]
    sources = [str(v).split(":", 1)[0] if isinstance(v, str) else v["source"] for v in volumes]
    assert any(source in (compose.get("volumes") or {}) for source in sources)


def test_app_services_share_one_image_built_once(services: dict[str, Any]) -> None:
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(images) == 1
    assert None not in images
    built = [name for name in APP_SERVICES if "build" in services[name]]
    assert len(built) == 1, "exactly one service builds the shared image"


def test_web_migrates_then_runs_gunicorn(services: dict[str, Any]) -> None:
    command = command_text(services["web"])
    assert "manage.py migrate --noinput" in command
    assert "gunicorn tracker.wsgi" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert "0.0.0.0:8000" in command
    assert any(str(port).endswith("8000") for port in services["web"]["ports"])


def test_worker_and_beat_commands(services: dict[str, Any]) -> None:
    assert shlex.split(command_text(services["worker"]))[:6] == [
        "celery", "-A", "tracker", "worker", "-l", "info",
    ]  # fmt: skip
    beat = shlex.split(command_text(services["beat"]))
    assert beat[:6] == ["celery", "-A", "tracker", "beat", "-l", "info"]
    assert "--schedule" in beat
    assert beat[beat.index("--schedule") + 1].startswith("/tmp/")  # noqa: S108 -- the container's own /tmp


@pytest.mark.parametrize("name", ["db", "redis", "web"])
def test_healthchecks(services: dict[str, Any], name: str) -> None:
    test = services[name]["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else test
    expected = {"db": "pg_isready", "redis": "redis-cli ping", "web": "/healthz"}[name]
    assert expected in text


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_db_and_redis(services: dict[str, Any], name: str) -> None:
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "use the long form with conditions"
    for dependency in ("db", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"
    assert all(spec.get("condition") == "service_healthy" for spec in depends_on.values())


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_set_only_variables_settings_read(services: dict[str, Any], name: str) -> None:
    env = environment(services[name])
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(env)
    unknown = set(env) - settings_variables()
    assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_production_mode_against_compose_db_and_redis(
    services: dict[str, Any], name: str
) -> None:
    env = environment(services[name])
    assert env["DEBUG"] in {"0", "False", "false"}
    assert re.fullmatch(r"postgres(ql)?://tracker:.+@db:5432/tracker", env["DATABASE_URL"])
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    # Required, no default: compose refuses to start without a real key.
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", env["SECRET_KEY"])
    assert "ALLOWED_HOSTS" in env


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_dockerfile_runs_gunicorn_as_non_root_on_slim_bookworm() -> None:
    text = dockerfile()
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", text, re.MULTILINE)
    cmd = re.search(r"^CMD (.+)$", text, re.MULTILINE)
    assert cmd
    assert "gunicorn" in cmd.group(1)
    assert "tracker.wsgi" in cmd.group(1)
    assert "0.0.0.0:8000" in cmd.group(1)
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}
    assert "collectstatic --noinput" in text
    assert "pip install --no-cache-dir -r requirements.txt" in text


def test_dockerfile_copies_every_project_directory() -> None:
    # The Dockerfile copies directories one by one (nothing local such as .venv or .env
    # reaches the image), so a new app or a locale/ directory must be added there.
    copied = set(re.findall(r"^COPY (\S+?)/? ", dockerfile(), re.MULTILINE))
    needed = {
        path.name
        for path in ROOT.iterdir()
        if path.is_dir()
        and ((path / "apps.py").exists() or (path / "models.py").exists())
        and path.name != "tests"
    }
    needed |= {"tracker", "templates", "static", "manage.py"}
    if (ROOT / "locale").is_dir():
        needed.add("locale")
    missing = needed - copied
    assert not missing, f"Dockerfile does not COPY {sorted(missing)}"


def test_env_example_lists_every_variable_settings_read() -> None:
    listed = set(_EXAMPLE_LINE.findall((ROOT / ".env.example").read_text(encoding="utf-8")))
    missing = settings_variables() - listed
    assert not missing, f"add these to .env.example with a one-line comment: {sorted(missing)}"


def test_env_example_explains_every_variable() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if _EXAMPLE_LINE.match(line):
            previous = lines[number - 1] if number else ""
            assert previous.startswith("# "), f"no comment above {line!r}"
            assert not _EXAMPLE_LINE.match(previous), f"no comment above {line!r}"


def test_compose_interpolates_only_variables_listed_in_env_example(
    compose: dict[str, Any],
) -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    listed = set(_EXAMPLE_LINE.findall((ROOT / ".env.example").read_text(encoding="utf-8")))
    assert used <= listed, f"document in .env.example: {sorted(used - listed)}"
