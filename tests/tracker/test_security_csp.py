"""Content-Security-Policy (django-csp): enforced on every answer, no inline script allowed,
and the pages, the admin and Swagger UI carry no inline script or ``on…=`` handler that the
policy would block (tests/browser prove it in chromium)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from organizations.choices import Role
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)[^>]*>"
)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_answer_carries_an_enforced_policy(client: Any) -> None:
    for path in ("/accounts/login/", "/api/v1/auth/token/", "/healthz", "/no-such-page/"):
        response = client.get(path)
        assert "Content-Security-Policy" in response, path
        assert "Content-Security-Policy-Report-Only" not in response, path


def test_scripts_come_only_from_this_site_or_with_the_request_nonce(client: Any) -> None:
    policy = _policy(client.get("/accounts/login/"))

    assert policy["script-src"][0] == "'self'"
    assert all(s == "'self'" or s.startswith("'nonce-") for s in policy["script-src"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


def _assert_no_inline_code(html: str, path: str) -> None:
    assert not INLINE_SCRIPT.findall(html), f"{path}: inline <script> without a nonce"
    assert not HANDLER.findall(html), f"{path}: an on…= handler attribute"
    assert not JS_URL.findall(html), f"{path}: a javascript: URL"


PAGES = [
    "/",
    "/meetings/",
    "/meetings/new/",
    "/meetings/action-items/",
    "/agreements/",
    "/agreements/new/",
    "/dashboard/",
    "/dashboard/tokens/",
    "/notifications/",
    "/organizations/",
    "/organizations/people/",
    "/organizations/people/new/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_inline_script_or_handler(client: Any, org_a: Any, path: str) -> None:
    client.force_login(member(org_a, Role.MANAGER, username="modir_csp"))

    response = client.get(path)

    assert response.status_code == 200, path
    _assert_no_inline_code(response.content.decode(), path)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/organizations/organization/add/",
        "/admin/axes/accessattempt/",
        "/api/v1/docs/",
        "/api/v1/organizations/?format=api",
    ],
)
def test_admin_and_api_pages_carry_no_inline_script(client: Any, path: str) -> None:
    client.force_login(UserFactory(username="root_csp", is_staff=True, is_superuser=True))

    response = client.get(path)

    assert response.status_code == 200, path
    _assert_no_inline_code(response.content.decode(), path)


def test_swagger_ui_loads_its_start_up_script_as_a_file(client: Any) -> None:
    client.force_login(UserFactory(username="root_docs", is_staff=True, is_superuser=True))

    script = client.get("/api/v1/docs/?script=")

    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
