"""Uploads go to an S3-compatible bucket through django-storages when one is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_SHOW = (
    "import json, tracker.settings.base as b; print(json.dumps(b.STORAGES['default'], default=str))"
)


def _default_storage(**env: str) -> dict[str, object]:
    environment = {**os.environ, "SECRET_KEY": "x", **env}
    environment.pop("AWS_STORAGE_BUCKET_NAME", None)
    environment.update(env)
    out = (
        subprocess.run(  # noqa: S603 -- our interpreter, a fixed snippet
            [sys.executable, "-c", _SHOW],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return json.loads(out)


def test_without_a_bucket_uploads_stay_in_media_root() -> None:
    assert _default_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_switches_to_private_s3_storage() -> None:
    storage = _default_storage(
        AWS_STORAGE_BUCKET_NAME="tracker", AWS_S3_ENDPOINT_URL="http://minio:9000"
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert isinstance(options, dict)
    assert options["bucket_name"] == "tracker"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False


def test_the_s3_backend_is_installed() -> None:
    from storages.backends.s3 import S3Storage

    storage = S3Storage(bucket_name="tracker", endpoint_url="http://127.0.0.1:9")
    assert storage.bucket_name == "tracker"
