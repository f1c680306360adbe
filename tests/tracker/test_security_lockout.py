"""Login protection (django-axes) on the three doors: web login, admin login, token API.

Failures are counted per username at one address (10), per username from all addresses
(30) and per address (100); a counter at its limit locks, the right password is then
refused too until the cool-off (15 minutes) has passed, with a Persian message saying
when; a forged X-Forwarded-For changes nothing; one attacker behind an office's address
does not lock the office's other users out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tracker.jalali import format_datetime

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234"
LIMIT = 10  # one username at one address
USERNAME_LIMIT = 30  # one username, all addresses
ADDRESS_LIMIT = 100  # one address, all usernames

DOORS = {
    "web": "/accounts/login/",
    "admin": "/admin/login/",
    "api": "/api/v1/auth/token/",
}


class Clock:
    """The time axes and the lockout page read (``timezone.now``), moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Iterator[Clock]:
    fixed = Clock(timezone.now().replace(microsecond=0))
    # axes reads the time as ``timezone.now()`` and, in two modules, as an imported ``now``.
    with (
        mock.patch("django.utils.timezone.now", fixed),
        mock.patch("axes.attempts.now", fixed),
        mock.patch("axes.handlers.proxy.now", fixed),
    ):
        yield fixed


@pytest.fixture(autouse=True)
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.LOGIN_FAILURE_LIMITS = {
        "username,ip_address": LIMIT,
        "username": USERNAME_LIMIT,
        "ip_address": ADDRESS_LIMIT,
    }
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def user() -> Any:
    return UserFactory(username="karbar", is_staff=True, is_superuser=True)


def attempt(door: str, password: str, *, username: str = "karbar", **extra: Any) -> Any:
    client = Client(REMOTE_ADDR=extra.pop("REMOTE_ADDR", "198.51.100.7"))
    data = {"username": username, "password": password}
    if door == "api":
        return client.post(
            DOORS[door], {**data, "name": "bi"}, content_type="application/json", **extra
        )
    return client.post(DOORS[door], data, **extra)


def logged_in(door: str, response: Any) -> bool:
    if door == "api":
        return response.status_code == 201
    return response.status_code == 302  # the login form redirects only on success


@pytest.mark.parametrize("door", DOORS)
def test_nine_failures_do_not_lock_and_the_right_password_works(door: str, user: Any) -> None:
    for _ in range(LIMIT - 1):
        assert not logged_in(door, attempt(door, "wrong"))

    assert logged_in(door, attempt(door, PASSWORD))


@pytest.mark.parametrize("door", DOORS)
def test_ten_failures_lock_the_username_even_for_the_right_password(
    door: str, user: Any, clock: Clock
) -> None:
    for _ in range(LIMIT):
        attempt(door, "wrong")

    response = attempt(door, PASSWORD)

    assert response.status_code == 429
    until = format_datetime(clock.now + timedelta(minutes=15))
    body = response.content.decode()
    assert "موقتاً بسته" in body
    assert until in body
    assert 890 <= int(response["Retry-After"]) <= 900


def test_the_api_door_answers_json_not_html(user: Any) -> None:
    for _ in range(LIMIT):
        attempt("api", "wrong")

    response = attempt("api", PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "دوباره تلاش کنید" in response.json()["detail"]


@pytest.mark.parametrize("door", DOORS)
def test_a_forged_forwarded_for_header_does_not_escape_the_lock(door: str, user: Any) -> None:
    for n in range(LIMIT):
        attempt(door, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    response = attempt(door, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    # Counted under the real peer address, never under an address the client named.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_a_username_locked_at_one_address_still_signs_in_from_another(user: Any) -> None:
    for _ in range(LIMIT):
        attempt("web", "wrong")

    assert attempt("web", PASSWORD).status_code == 429
    assert logged_in("web", attempt("web", PASSWORD, REMOTE_ADDR="192.0.2.1"))


@pytest.mark.parametrize("door", DOORS)
def test_one_username_from_many_addresses_is_still_locked(door: str, user: Any) -> None:
    for n in range(USERNAME_LIMIT - 1):
        attempt(door, "wrong", REMOTE_ADDR=f"203.0.113.{n}")
    assert logged_in(door, attempt(door, PASSWORD, REMOTE_ADDR="192.0.2.1"))
    for n in range(USERNAME_LIMIT):
        attempt(door, "wrong", REMOTE_ADDR=f"203.0.113.{n}")

    assert attempt(door, PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429


@pytest.mark.parametrize("door", DOORS)
def test_one_attacker_behind_an_office_address_does_not_lock_the_others(
    door: str, user: Any
) -> None:
    office = "198.51.100.7"
    colleagues = [UserFactory(username=f"colleague{n}", is_staff=True) for n in range(3)]
    for _ in range(LIMIT + 5):  # knocking on past the lock
        attempt(door, "wrong", REMOTE_ADDR=office)
    for victim in colleagues:  # and a few guesses at the colleagues too
        for _ in range(LIMIT - 1):
            attempt(door, "wrong", username=victim.username, REMOTE_ADDR=office)

    assert attempt(door, PASSWORD, REMOTE_ADDR=office).status_code == 429
    for colleague in colleagues:
        assert logged_in(door, attempt(door, PASSWORD, username=colleague.username))


def test_an_attackers_own_login_does_not_clear_the_counts_at_its_address(user: Any) -> None:
    UserFactory(username="attacker")
    for _ in range(LIMIT):
        attempt("web", "wrong")

    assert logged_in("web", attempt("web", PASSWORD, username="attacker"))

    assert attempt("web", PASSWORD).status_code == 429


def test_an_address_spraying_usernames_is_locked_for_every_username(user: Any) -> None:
    for n in range(ADDRESS_LIMIT - 1):
        attempt("web", "wrong", username=f"someone{n}")
    assert logged_in("web", attempt("web", PASSWORD))
    for n in range(ADDRESS_LIMIT):
        attempt("web", "wrong", username=f"someone{n}")

    assert attempt("web", PASSWORD).status_code == 429
    assert logged_in("web", attempt("web", PASSWORD, REMOTE_ADDR="192.0.2.1"))


def test_the_default_settings_give_each_counter_its_own_limit() -> None:
    from django.conf import settings

    from tracker.settings import base

    assert base.AXES_HANDLER == "tracker.login_limits.TieredLimitsHandler"
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username", "ip_address"]
    assert base.LOGIN_FAILURE_LIMITS == {
        "username,ip_address": 10,
        "username": 10,  # issue 12: at most 10 failures for one username
        "ip_address": 100,
    }
    assert settings.AXES_HANDLER == base.AXES_HANDLER


@pytest.mark.parametrize("door", DOORS)
def test_the_lock_ends_when_the_cool_off_has_passed(door: str, user: Any, clock: Clock) -> None:
    for _ in range(LIMIT):
        attempt(door, "wrong")
    clock.advance(timedelta(minutes=14, seconds=59))
    assert attempt(door, PASSWORD).status_code == 429

    clock.advance(timedelta(seconds=2))

    assert logged_in(door, attempt(door, PASSWORD))


def test_knocking_on_a_locked_door_does_not_move_the_end_of_the_lock(
    user: Any, clock: Clock
) -> None:
    for _ in range(LIMIT):
        attempt("web", "wrong")
    for _ in range(5):
        clock.advance(timedelta(minutes=2))
        attempt("web", "wrong")

    clock.advance(timedelta(minutes=5, seconds=1))

    assert logged_in("web", attempt("web", PASSWORD))


def test_failures_and_successes_are_recorded_with_time_address_and_username(
    user: Any,
) -> None:
    attempt("web", "wrong")
    attempt("api", "wrong")
    attempt("web", PASSWORD)
    attempt("api", PASSWORD)

    failures = AccessFailureLog.objects.order_by("pk")
    assert [(f.username, f.ip_address, f.path_info) for f in failures] == [
        ("karbar", "198.51.100.7", "/accounts/login/"),
        ("karbar", "198.51.100.7", "/api/v1/auth/token/"),
    ]
    assert all(f.attempt_time is not None for f in failures)
    successes = AccessLog.objects.order_by("pk")
    assert [(s.username, s.ip_address, s.path_info) for s in successes] == [
        ("karbar", "198.51.100.7", "/accounts/login/"),
        ("karbar", "198.51.100.7", "/api/v1/auth/token/"),
    ]
    assert all(s.attempt_time is not None for s in successes)


def test_the_admin_lists_lockouts_and_deleting_one_clears_it(user: Any) -> None:
    UserFactory(username="nazer-site", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        attempt("web", "wrong")
    assert attempt("web", PASSWORD).status_code == 429
    manager = Client(REMOTE_ADDR="192.0.2.50")
    manager.force_login(UserFactory(username="modir-site", is_staff=True, is_superuser=True))

    listing = manager.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "karbar" in listing.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    cleared = manager.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert cleared.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert logged_in("web", attempt("web", PASSWORD))
