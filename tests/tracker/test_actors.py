"""The acting user of a request: the signed-in user, or a 403 for an anonymous one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tracker.actors import actor_of


@pytest.mark.django_db
def test_actor_of_returns_the_signed_in_user() -> None:
    request = RequestFactory().post("/")
    request.user = User.objects.create_user(username="karshenas")
    assert actor_of(request) is request.user


def test_actor_of_refuses_an_anonymous_user_with_a_persian_403() -> None:
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied, match="وارد سامانه شوید"):
        actor_of(request)
