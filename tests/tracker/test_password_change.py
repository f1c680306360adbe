"""The self-service password change outside the admin: Django's views in Persian, under the
CSP, the old password counted by django-axes like a login, and a change that ends the
user's other sessions and revokes their API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from organizations import services
from organizations.choices import Role
from tests.factories import member
from tests.tracker.test_security_csp import _assert_no_inline_code

pytestmark = pytest.mark.django_db

URL = "/accounts/password/change/"
OLD = "pass-1234"
NEW = "n3w-Pass-99!"


@pytest.fixture
def user(org_a: Any) -> Any:
    return member(org_a, Role.VIEWER, username="karbar")  # not staff: no admin to use


def _signed_in(user: Any) -> Client:
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.force_login(user)
    return client


def _change(client: Client, old: str = OLD, new: str = NEW, again: str | None = None) -> Any:
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(URL, data)


def test_the_page_asks_for_a_login_first() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_is_persian_and_carries_no_inline_script(user: Any) -> None:
    response = _signed_in(user).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "تغییر گذرواژه" in html
    assert "Content-Security-Policy" in response
    _assert_no_inline_code(html, URL)
    # The header links to it from every page.
    assert f'href="{URL}"' in _signed_in(user).get("/").content.decode()


def test_a_wrong_old_password_is_a_persian_form_error(user: Any) -> None:
    response = _change(_signed_in(user), old="wrong")
    assert response.status_code == 200
    assert "گذرواژه فعلی نادرست است" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_new_passwords_that_differ_or_are_weak_are_refused_in_persian(user: Any) -> None:
    client = _signed_in(user)
    assert "یکسان نیستند" in _change(client, again="other-Pass-77!").content.decode()
    weak_response = _change(client, new="kar1")
    assert weak_response.status_code == 200
    weak = weak_response.content.decode()
    assert "کوتاه" in weak
    assert "This password" not in weak
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_a_change_ends_other_sessions_revokes_tokens_and_keeps_this_session(user: Any) -> None:
    this, other = _signed_in(user), _signed_in(user)
    _, key = services.api_token_create(actor=user, name="bi")
    api = APIClient()
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert api.get("/api/v1/organizations/", **auth).status_code == 200

    response = _change(this)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    done = this.get(response["Location"]).content.decode()
    assert "گذرواژه تغییر کرد" in done
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert this.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert api.get("/api/v1/organizations/", **auth).status_code == 401


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.mark.usefixtures("axes_on")
def test_wrong_old_passwords_count_as_failed_logins_and_lock_the_page(user: Any) -> None:
    client = _signed_in(user)
    for _ in range(9):
        assert _change(client, old="wrong").status_code == 200
    # The tenth wrong one locks, and says so.
    assert _change(client, old="wrong").status_code == 429
    assert AccessAttempt.objects.get(username="karbar").failures_since_start == 10

    locked = _change(client)  # the right old password too

    assert locked.status_code == 429
    assert "موقتاً بسته" in locked.content.decode()
    user.refresh_from_db()
    assert user.check_password(OLD)
    # And the login door is shut for that username at that address as well.
    login = Client(REMOTE_ADDR="198.51.100.7").post(
        "/accounts/login/", {"username": "karbar", "password": OLD}
    )
    assert login.status_code == 429
