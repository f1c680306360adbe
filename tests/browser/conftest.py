"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live_server.

``playwright install`` is never run (no browser downloads): the system chromium is launched
by path. Without it the browser tests skip locally and fail in CI (``CI=true``).
Screenshots go to ``tests/artifacts/`` (git-ignored).

The live server sends the real Content-Security-Policy; every page test fails when chromium
reports a violation of it (a blocked script, style, font or connection), so a page that
works only because a browser ignored the policy cannot pass.
"""

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread, so Django would refuse the
# test's own ORM calls with SynchronousOnlyOperation; they are ordinary blocking calls here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI containers run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Nothing but the live server may be contacted.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "artifacts"
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser as ``browser`` (``-m "not browser"`` skips them)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    problem = _chromium_missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


#: Chromium's console wording for a blocked resource or script.
_CSP_WORDS = ("Content Security Policy", "Content-Security-Policy")

#: Runs in every document before its own scripts (Playwright's init scripts are not subject
#: to the page's policy): counts violations the console might word differently.
_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """What chromium reported against the policy during this test (the page fixture fails
    the test when it is not empty at the end)."""
    return []


@pytest.fixture
def page(browser: Any, csp_violations: list[str]) -> Iterator[Any]:
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran")
    context.set_default_timeout(15_000)
    context.add_init_script(_VIOLATION_LISTENER)
    page = context.new_page()
    violations = csp_violations
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if any(word in msg.text for word in _CSP_WORDS)
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    """Sign in through the login page (Django's username/password form) and wait to leave it."""
    from django.urls import reverse  # needs configured settings

    login_url = live_server.url + reverse("login")
    page.goto(login_url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
    assert not page.url.startswith(login_url), f"login as {username!r} failed: still on {page.url}"


@pytest.fixture(name="login")
def login_fixture() -> Callable[[Any, Any, str, str], None]:
    """The login helper as a fixture, for tests that prefer not to import from conftest."""
    return login
