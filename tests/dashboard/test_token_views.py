"""The profile page of API tokens: list with last use in Jalali, create once-shown, revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from organizations.models import ApiToken
from organizations.services import api_token_create
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db

URL = "/dashboard/tokens/"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_lists_own_tokens_with_jalali_last_use(staff_a: Any, staff_b: Any) -> None:
    mine, _ = api_token_create(actor=staff_a, name="گزارش‌گیر")
    api_token_create(actor=staff_b, name="توکن دیگری")
    ApiToken.objects.filter(pk=mine.pk).update(
        last_used_at=datetime(2020, 8, 1, 10, 30, tzinfo=TEHRAN)
    )

    body = logged_in(staff_a).get(URL).content.decode()

    assert "گزارش‌گیر" in body
    assert "توکن دیگری" not in body
    assert "۱۳۹۹/۰۵/۱۱" in body  # 1 Aug 2020 is 11 Mordad 1399


def test_creating_shows_the_key_exactly_once(staff_a: Any) -> None:
    client = logged_in(staff_a)

    response = client.post(URL, {"name": "BI", "read_only": "on", "expires_on": ""}, follow=True)
    body = response.content.decode()
    token = ApiToken.objects.get(user=staff_a)
    again = client.get(URL).content.decode()

    assert "data-new-key" in body
    assert token.prefix in body
    assert token.read_only is True
    assert "data-new-key" not in again


def test_impossible_jalali_expiry_is_a_form_error_and_keeps_input(staff_a: Any) -> None:
    response = logged_in(staff_a).post(URL, {"name": "BI", "expires_on": "1400/12/30"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "field-error" in body
    assert 'value="BI"' in body
    assert not ApiToken.objects.exists()


def test_revoke_from_the_page(staff_a: Any) -> None:
    token, _ = api_token_create(actor=staff_a, name="A")

    response = logged_in(staff_a).post(f"{URL}{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_other_users_token_cannot_be_revoked(staff_a: Any, staff_b: Any) -> None:
    token, _ = api_token_create(actor=staff_a, name="A")

    response = logged_in(staff_b).post(f"{URL}{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(staff_a: Any) -> None:
    token, _ = api_token_create(actor=staff_a, name="A")

    assert logged_in(staff_a).get(f"{URL}{token.pk}/revoke/").status_code == 405


def test_page_needs_login() -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _badge_queries(user: Any) -> int:
    """Queries of the unread-notifications badge in base.html (another app's selector)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.selectors import inbox_unread_count_for_user

    with CaptureQueriesContext(connection) as ctx:
        inbox_unread_count_for_user(user=user)
    return len(ctx.captured_queries)


def test_page_query_count_is_constant(staff_a: Any, django_assert_num_queries: Any) -> None:
    client = logged_in(staff_a)
    for i in range(5):
        api_token_create(actor=staff_a, name=f"t{i}")
    # The session, the user, the tokens in one query, plus the badge of base.html.
    expected = 3 + _badge_queries(staff_a)
    with django_assert_num_queries(expected):
        client.get(URL)
    for i in range(45):
        api_token_create(actor=staff_a, name=f"u{i}")
    with django_assert_num_queries(expected):
        client.get(URL)
