"""The inbox page, the header badge, mark-read and the preferences form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.choices import Channel, DeliveryStatus, RuleCode
from notifications.models import Delivery, NotificationPreference, Reminder
from notifications.selectors import inbox_unread_count_for_user
from tests.factories import ApiTokenFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages_for(user: Any, n: int) -> list[Delivery]:
    token = ApiTokenFactory(user=user, expires_at=timezone.now())
    now = timezone.now()
    result = []
    for i in range(n):
        reminder = Reminder.objects.create(
            target=token,
            rule=RuleCode.CUSTOM,
            kind=f"k{i}",
            recipient=user,
            due_at=now,
            anchor_at=now,
            title=f"پیام {i}",
            url="/notifications/",
        )
        result.append(
            Delivery.objects.create(
                reminder=reminder,
                recipient=user,
                channel=Channel.IN_APP,
                status=DeliveryStatus.SENT,
                sent_at=now,
            )
        )
    return result


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("rows", [5, 50])
def test_inbox_page_query_count_does_not_grow(rows: int, django_assert_num_queries: Any) -> None:
    user = UserFactory()
    messages_for(user, rows)
    client = client_of(user)
    # session + user (2), the header's unread count (1), the page's COUNT and its rows
    # with their reminders in one join (2).
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200


def test_inbox_shows_only_the_users_messages_and_the_badge_counts_unread() -> None:
    alice, bob = UserFactory(), UserFactory()
    messages_for(alice, 3)
    messages_for(bob, 1)
    body = client_of(bob).get(reverse("notifications:inbox")).content.decode()
    assert "پیام 0" in body
    assert body.count('class="unread"') == 1
    assert 'class="badge"' in body
    assert "۱" in body


def test_unread_count_is_one_query(django_assert_num_queries: Any) -> None:
    user = UserFactory()
    messages_for(user, 4)
    with django_assert_num_queries(1):
        assert inbox_unread_count_for_user(user=user) == 4


def test_mark_read_one_and_all_and_never_someone_elses() -> None:
    alice, bob = UserFactory(), UserFactory()
    mine = messages_for(alice, 3)
    theirs = messages_for(bob, 1)
    client = client_of(alice)
    client.post(reverse("notifications:mark_read"), {"id": [mine[0].pk, theirs[0].pk]})
    assert inbox_unread_count_for_user(user=alice) == 2
    assert inbox_unread_count_for_user(user=bob) == 1
    client.post(reverse("notifications:mark_read"))
    assert inbox_unread_count_for_user(user=alice) == 0


def test_preferences_form_keeps_input_and_shows_persian_errors() -> None:
    user = UserFactory()
    response = client_of(user).post(
        reverse("notifications:preferences"),
        {"in_app": "on", "sms": "on", "phone": "", "mode": "immediate", "digest_hour": "8"},
    )
    assert response.status_code == 200
    assert "شماره همراه" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_a_digest_hour_past_23_is_a_persian_field_error_not_the_constraints() -> None:
    user = UserFactory()
    response = client_of(user).post(
        reverse("notifications:preferences"),
        {"in_app": "on", "mode": "digest", "digest_hour": "30"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "ساعت باید بین ۰ و ۲۳ باشد." in body
    assert "Constraint" not in body
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_preferences_form_saves_quiet_hours() -> None:
    user = UserFactory()
    response = client_of(user).post(
        reverse("notifications:preferences"),
        {
            "in_app": "on",
            "email": "on",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "mode": "digest",
            "digest_hour": "8",
        },
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=user)
    assert (str(pref.quiet_start), pref.mode) == ("22:00:00", "digest")


def test_inbox_needs_login() -> None:
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302
