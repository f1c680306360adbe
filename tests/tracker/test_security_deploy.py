"""Production defaults: ``check --deploy`` passes with only the five required variables,
X-Forwarded-Proto is trusted only behind a configured proxy, and /healthz is never
redirected to HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

REQUIRED = {
    "SECRET_KEY": "deploy-check-" + "k3y-" * 12,
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://tracker@db:5432/tracker"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://redis:6379/0"),
    "ALLOWED_HOSTS": "tracker.example.org",
    "DEBUG": "0",
}


def _manage(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    # Exactly these variables: nothing of the test run (DJANGO_SETTINGS_MODULE, CI, ...)
    # leaks into the production settings.
    return subprocess.run(  # noqa: S603 -- our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**REQUIRED, **extra},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_deploy_check_passes_with_only_the_required_variables() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_turning_the_https_defaults_off_is_explicit_and_the_check_says_so() -> None:
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="0",
    )  # fmt: skip

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def _production_settings(**extra: str) -> dict[str, Any]:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'proxy_header': s.SECURE_PROXY_SSL_HEADER, 'num_proxies': "
        "s.REST_FRAMEWORK['NUM_PROXIES'], 'redirect': s.SECURE_SSL_REDIRECT, "
        "'exempt': s.SECURE_REDIRECT_EXEMPT, 'session_age': s.SESSION_COOKIE_AGE, "
        "'demo_password': s.DEMO_PASSWORD}))"
    )
    result = _manage("shell", "-c", code, **extra)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_forwarded_proto_is_trusted_only_behind_a_configured_proxy() -> None:
    alone = _production_settings()
    behind = _production_settings(TRUSTED_PROXY_COUNT="1")

    assert alone["proxy_header"] is None
    assert alone["num_proxies"] == 0
    assert behind["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind["num_proxies"] == 1
    assert alone["redirect"] is True
    assert alone["session_age"] == 8 * 60 * 60
    assert alone["demo_password"] == ""  # no published default outside the dev mode


@pytest.mark.django_db
def test_health_check_is_not_redirected_but_pages_are(client: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

    assert client.get("/healthz").status_code in {200, 503}
    page = client.get("/accounts/login/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


@pytest.mark.django_db
def test_a_forwarded_proto_from_a_client_does_not_make_the_request_secure(
    client: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None

    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
