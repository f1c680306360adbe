"""Sessions end after an idle time; a changed password ends the user's other sessions and
revokes their API tokens; the token endpoint keeps at most a configured number alive."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from organizations import services
from organizations.models import ApiToken
from tests.factories import UserFactory
from tracker import sessions

pytestmark = pytest.mark.django_db


def test_the_default_idle_time_is_eight_hours(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_RENEW_SECONDS == 300


def _expiry(client: Client) -> Any:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_after_the_renewal_interval_pushes_the_expiry_back(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(UserFactory())
    client.get("/")
    before = _expiry(client)
    real = sessions.time.time
    monkeypatch.setattr(sessions.time, "time", lambda: real() + 301)

    client.get("/")

    assert _expiry(client) > before


def test_requests_within_the_renewal_interval_do_not_write_the_session(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory())
    client.get("/notifications/")

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/notifications/").status_code == 200

    # Django's SESSION_SAVE_EVERY_REQUEST would UPDATE django_session here every time.
    assert not [q for q in ctx.captured_queries if 'UPDATE "django_session"' in q["sql"]]
    assert any("django_session" in q["sql"] for q in ctx.captured_queries)  # it was read


def test_an_idle_session_ends(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one() -> None:
    user = UserFactory(username="karbar", is_staff=True, is_superuser=True)
    this, other = Client(), Client()
    this.force_login(user)
    other.force_login(user)

    changed = this.post(
        "/admin/password_change/",
        {
            "old_password": "pass-1234",
            "new_password1": "n3w-Pass-99!",
            "new_password2": "n3w-Pass-99!",
        },
    )

    assert changed.status_code == 302
    assert this.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_changing_the_password_revokes_every_api_token() -> None:
    user = UserFactory()
    _, key = services.api_token_create(actor=user, name="bi")
    api = APIClient()
    assert api.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    user.set_password("n3w-Pass-99!")
    user.save()

    assert api.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_saving_a_user_without_a_password_change_keeps_the_tokens() -> None:
    user = UserFactory()
    services.api_token_create(actor=user, name="bi")
    user.first_name = "نام"
    user.save()

    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1


def _token(client: APIClient, name: str) -> str:
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "karbar", "password": "pass-1234", "name": name},
        format="json",
    )
    assert response.status_code == 201
    return str(response.json()["token"])


def test_the_token_endpoint_keeps_the_newest_tokens_and_revokes_the_oldest(
    settings: Any,
) -> None:
    settings.API_TOKEN_MAX_PER_USER = 3
    UserFactory(username="karbar")
    client = APIClient()

    keys = [_token(client, f"t{n}") for n in range(5)]

    live = ApiToken.objects.filter(revoked_at__isnull=True).order_by("created_at", "pk")
    assert [t.name for t in live] == ["t2", "t3", "t4"]
    assert (
        client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {keys[0]}").status_code
        == 401
    )
    assert (
        client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {keys[4]}").status_code
        == 200
    )


def test_expired_tokens_do_not_count_against_the_limit(settings: Any) -> None:
    settings.API_TOKEN_MAX_PER_USER = 1
    user = UserFactory()
    old, _ = services.api_token_create(actor=user, name="old")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))

    services.api_token_create(actor=user, name="new")

    assert ApiToken.objects.get(pk=old.pk).revoked_at is None  # expired, left as it was
    assert ApiToken.objects.filter(revoked_at__isnull=True, name="new").count() == 1
