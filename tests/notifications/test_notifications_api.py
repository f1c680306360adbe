"""The inbox API: own sent in-app messages only, filters, mark-read, the unread count,
preferences, read-only tokens refused on writes, ETags and a constant query count."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.choices import Channel, DeliveryMode, DeliveryStatus, RuleCode
from notifications.models import Delivery, NotificationPreference, Reminder
from organizations.services import api_token_create
from tests.factories import ApiTokenFactory, UserFactory
from tracker.jalali import jalali_string

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all/"
UNREAD_COUNT = "/api/v1/notifications/unread-count/"
PREFERENCES = "/api/v1/notifications/preferences/"
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


def read(pk: int) -> str:
    return f"{LIST}{pk}/read/"


def deliver(
    user: Any,
    n: int = 1,
    *,
    channel: str = Channel.IN_APP,
    status: str = DeliveryStatus.SENT,
    rule: str = RuleCode.CUSTOM,
    url: str = "/meetings/1/",
) -> list[Delivery]:
    """``n`` reminders of ``user`` (about an API token, any target will do), each delivered
    once on ``channel``; the first is the newest."""
    target = ApiTokenFactory(user=user, expires_at=timezone.now())
    now = timezone.now()
    result = []
    for i in range(n):
        reminder = Reminder.objects.create(
            target=target,
            rule=rule,
            kind=f"k{i}",
            recipient=user,
            due_at=now,
            anchor_at=now + timedelta(days=1),
            title=f"پیام {i}",
            body=f"متن پیام {i}",
            url=url,
        )
        result.append(
            Delivery.objects.create(
                reminder=reminder,
                recipient=user,
                channel=channel,
                status=status,
                sent_at=now - timedelta(minutes=i) if status == DeliveryStatus.SENT else None,
            )
        )
    return result


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def token_client(user: Any, *, read_only: bool) -> APIClient:
    _token, key = api_token_create(actor=user, name="داشبورد", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- reading ---------------------------------------------------------------------------------


def test_list_shows_only_the_users_sent_in_app_messages_newest_first() -> None:
    alice, bob = UserFactory(), UserFactory()
    newest, older = deliver(alice, 2)
    bobs = deliver(bob)[0]
    email = deliver(alice, channel=Channel.EMAIL)[0]
    unsent = deliver(alice, status=DeliveryStatus.PENDING)[0]
    failed = deliver(alice, status=DeliveryStatus.FAILED)[0]
    client = client_of(alice)

    assert ids(client.get(LIST)) == [newest.pk, older.pk]
    assert client.get(LIST).json()["count"] == 2
    for hidden in (bobs, email, unsent, failed):
        response = client.get(detail(hidden.pk))
        assert response.status_code == 404, hidden
        assert response.json()["detail"] == "پیدا نشد."


def test_a_row_says_what_the_message_is_about_with_jalali_twins() -> None:
    user = UserFactory()
    delivery = deliver(user, rule=RuleCode.MEETING_UPCOMING)[0]
    client = client_of(user)

    row = client.get(detail(delivery.pk)).json()

    assert row["title"] == "پیام 0"
    assert row["body"] == "متن پیام 0"
    assert row["url"] == "/meetings/1/"
    assert row["rule"] == RuleCode.MEETING_UPCOMING
    assert row["rule_display"] == "جلسه پیش رو"
    assert row["sent_at"] is not None
    assert row["sent_at_jalali"] == jalali_string(delivery.sent_at)
    assert re.fullmatch(r"14\d\d/\d\d/\d\d \d\d:\d\d", row["sent_at_jalali"])
    assert row["anchor_at_jalali"] == jalali_string(delivery.reminder.anchor_at)
    assert (row["read_at"], row["read_at_jalali"], row["is_read"]) == (None, None, False)

    client.post(read(delivery.pk))
    row = client.get(detail(delivery.pk)).json()
    delivery.refresh_from_db()
    assert row["is_read"] is True
    assert row["read_at"] is not None
    assert row["read_at_jalali"] == jalali_string(delivery.read_at)


def test_a_message_without_a_link_has_a_null_url() -> None:
    user = UserFactory()
    delivery = deliver(user, url="")[0]

    assert client_of(user).get(detail(delivery.pk)).json()["url"] is None


def test_unread_filter_and_rule_filter() -> None:
    user = UserFactory()
    first, second, third = deliver(user, 3)
    due = deliver(user, rule=RuleCode.ACTION_ITEM_DUE)[0]
    client = client_of(user)
    client.post(read(second.pk))

    assert set(ids(client.get(LIST, {"unread": "true"}))) == {first.pk, third.pk, due.pk}
    assert ids(client.get(LIST, {"unread": "false"})) == [second.pk]
    assert ids(client.get(LIST, {"rule": RuleCode.ACTION_ITEM_DUE})) == [due.pk]
    assert ids(client.get(LIST, {"rule": RuleCode.CUSTOM, "unread": "true"})) == [
        first.pk,
        third.pk,
    ]
    bad = client.get(LIST, {"rule": "nope"})
    assert bad.status_code == 400
    assert "rule" in bad.json()
    assert PERSIAN.search(bad.json()["rule"][0])


def test_an_unread_value_that_is_neither_yes_nor_no_is_a_persian_400() -> None:
    user = UserFactory()
    first, second = deliver(user, 2)
    client = client_of(user)
    client.post(read(second.pk))
    for bad in ("maybe", "2", "yes please"):
        response = client.get(LIST, {"unread": bad})
        assert response.status_code == 400, bad
        assert PERSIAN.search(response.json()["unread"][0])
    # Persian yes/no and digits are read.
    assert ids(client.get(LIST, {"unread": "بله"})) == [first.pk]
    assert ids(client.get(LIST, {"unread": "۰"})) == [second.pk]


def test_marking_read_ignores_list_filters_in_the_query_string() -> None:
    user = UserFactory()
    delivery = deliver(user)[0]
    response = client_of(user).post(read(delivery.pk) + "?unread=false")
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.read_at is not None


def test_a_304_keeps_the_vary_of_the_answer_it_stands_for() -> None:
    user = UserFactory()
    deliver(user)
    client = client_of(user)
    first = client.get(LIST)
    again = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "Accept" in [v.strip() for v in again["Vary"].split(",")]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_anonymous_requests_are_401() -> None:
    delivery = deliver(UserFactory())[0]
    client = APIClient()

    assert client.get(LIST).status_code == 401
    assert client.post(read(delivery.pk)).status_code == 401
    delivery.refresh_from_db()
    assert delivery.read_at is None


@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_count_does_not_grow(rows: int, django_assert_num_queries: Any) -> None:
    user = UserFactory()
    deliver(user, rows)
    deliver(UserFactory(), rows)
    client = client_of(user)
    # The user is given (no session or token lookup): the page's limited COUNT, and its rows
    # with their reminders joined (select_related): two, whatever the number of rows.
    with django_assert_num_queries(2):
        response = client.get(LIST)

    assert len(ids(response)) == rows


def test_list_has_an_etag_and_answers_304_until_a_message_is_read() -> None:
    user = UserFactory()
    delivery = deliver(user)[0]
    client = client_of(user)
    tag = client.get(LIST)["ETag"]

    again = client.get(LIST, HTTP_IF_NONE_MATCH=tag)
    client.post(read(delivery.pk))
    changed = client.get(LIST, HTTP_IF_NONE_MATCH=tag)

    assert tag.startswith('W/"')
    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != tag


# --- marking read ----------------------------------------------------------------------------


def test_mark_one_read_lowers_the_unread_count_and_is_idempotent() -> None:
    user = UserFactory()
    first, second = deliver(user, 2)
    client = client_of(user)
    assert client.get(UNREAD_COUNT).json() == {"unread_count": 2}

    once = client.post(read(first.pk))
    first.refresh_from_db()
    read_at = first.read_at
    twice = client.post(read(first.pk))
    first.refresh_from_db()

    assert once.status_code == 200
    assert once.json() == {"marked": 1, "unread_count": 1}
    assert twice.status_code == 200
    assert twice.json() == {"marked": 0, "unread_count": 1}
    assert read_at is not None
    assert first.read_at == read_at  # the second call did not move the time
    assert client.get(UNREAD_COUNT).json() == {"unread_count": 1}
    second.refresh_from_db()
    assert second.read_at is None


def test_another_users_message_cannot_be_marked_read() -> None:
    alice, bob = UserFactory(), UserFactory()
    bobs = deliver(bob)[0]

    response = client_of(alice).post(read(bobs.pk))

    assert response.status_code == 404
    assert response.json()["detail"] == "پیدا نشد."
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_read_all_marks_only_the_users_messages_and_is_idempotent() -> None:
    alice, bob = UserFactory(), UserFactory()
    deliver(alice, 3)
    bobs = deliver(bob)[0]
    client = client_of(alice)

    once = client.post(READ_ALL)
    twice = client.post(READ_ALL)

    assert once.json() == {"marked": 3, "unread_count": 0}
    assert twice.json() == {"marked": 0, "unread_count": 0}
    assert client.get(UNREAD_COUNT).json() == {"unread_count": 0}
    assert ids(client.get(LIST, {"unread": "true"})) == []
    bobs.refresh_from_db()
    assert bobs.read_at is None
    assert client_of(bob).get(UNREAD_COUNT).json() == {"unread_count": 1}


# --- who may write -----------------------------------------------------------------------------


def test_a_read_only_token_reads_but_every_write_is_403_and_changes_nothing() -> None:
    user = UserFactory()
    delivery = deliver(user)[0]
    client = token_client(user, read_only=True)

    assert ids(client.get(LIST)) == [delivery.pk]
    assert client.get(UNREAD_COUNT).status_code == 200
    assert client.get(PREFERENCES).status_code == 200
    refused = [
        client.post(read(delivery.pk)),
        client.post(READ_ALL),
        client.patch(PREFERENCES, {"email": False}, format="json"),
    ]

    for response in refused:
        assert response.status_code == 403
        assert response.json()["detail"] == "این توکن فقط خواندنی است."
    delivery.refresh_from_db()
    assert delivery.read_at is None
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_a_read_write_token_may_write() -> None:
    user = UserFactory()
    delivery = deliver(user)[0]
    client = token_client(user, read_only=False)

    assert client.post(read(delivery.pk)).json() == {"marked": 1, "unread_count": 0}
    assert client.patch(PREFERENCES, {"email": False}, format="json").status_code == 200


def test_a_session_write_needs_the_csrf_token() -> None:
    user = UserFactory()
    deliver(user)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(READ_ALL)

    assert response.status_code == 403
    assert client.get(UNREAD_COUNT).json() == {"unread_count": 1}


# --- preferences -------------------------------------------------------------------------------


def test_preferences_are_the_defaults_until_saved() -> None:
    user = UserFactory()

    body = client_of(user).get(PREFERENCES).json()

    assert body["in_app"] is True
    assert body["email"] is True
    assert body["sms"] is False
    assert body["mode"] == DeliveryMode.IMMEDIATE
    assert body["digest_hour"] == 8
    assert (body["updated_at"], body["updated_at_jalali"]) == (None, None)
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_patch_changes_only_the_fields_sent_and_accepts_persian_digits() -> None:
    user = UserFactory()
    client = client_of(user)

    response = client.patch(
        PREFERENCES,
        {"mode": DeliveryMode.DIGEST, "quiet_start": "۲۲:۰۰", "quiet_end": "07:30"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mode"] == DeliveryMode.DIGEST
    assert (body["quiet_start"], body["quiet_end"]) == ("22:00", "07:30")
    assert body["updated_at_jalali"] is not None
    pref = NotificationPreference.objects.get(user=user)
    assert pref.mode == DeliveryMode.DIGEST
    assert pref.email is True  # not sent, not changed
    assert client.patch(PREFERENCES, {"digest_hour": 6}, format="json").json()["mode"] == (
        DeliveryMode.DIGEST
    )


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"digest_hour": 30}, "digest_hour"),
        ({"digest_hour": "ساعت"}, "digest_hour"),
        ({"mode": "weekly"}, "mode"),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
        ({"phone": "0912" * 10}, "phone"),
        ({"in_app": "perhaps"}, "in_app"),
        # The service's own rules, with the same shape of answer.
        ({"sms": True}, "phone"),
        ({"quiet_start": "22:00"}, "quiet_end"),
        ({"user": 1}, "user"),
    ],
)
def test_a_bad_preference_is_a_persian_400_naming_the_field_and_saves_nothing(
    sent: dict[str, Any], field: str
) -> None:
    user = UserFactory()
    client = client_of(user)
    client.patch(PREFERENCES, {"email": False}, format="json")
    before = NotificationPreference.objects.get(user=user)

    response = client.patch(PREFERENCES, sent, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert PERSIAN.search(errors[field][0]), errors
    after = NotificationPreference.objects.get(user=user)
    assert after.updated_at == before.updated_at
    assert (after.email, after.sms, after.digest_hour, after.quiet_start) == (
        False,
        False,
        8,
        None,
    )


def test_a_bad_preference_on_a_first_save_creates_no_row() -> None:
    user = UserFactory()

    response = client_of(user).patch(PREFERENCES, {"sms": True}, format="json")

    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=user).exists()
