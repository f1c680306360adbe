"""The unread count every page's header shows comes from notifications' context processor."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from notifications.context_processors import unread
from tests.factories import UserFactory
from tests.notifications.test_views import messages_for
from tracker.context_processors import site

pytestmark = pytest.mark.django_db


def test_signed_in_user_gets_their_unread_count_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    user: Any = UserFactory()
    other = UserFactory()
    messages_for(user, 3)
    messages_for(other, 2)
    request = RequestFactory().get("/")
    request.user = user
    # One COUNT of the user's unread in-app deliveries.
    with django_assert_num_queries(1):
        assert unread(request) == {"unread": 3}


def test_anonymous_visitor_gets_zero_without_a_query(django_assert_num_queries: Any) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {"unread": 0}


def test_the_tracker_context_is_the_site_only(settings: Any) -> None:
    settings.DEBUG = False
    assert site(RequestFactory().get("/")) == {
        "SITE_NAME": "سامانه پیگیری تفاهم‌نامه‌ها",
        "DEBUG": False,
    }
