"""The demo stays a demo: with DEBUG=0 the demo users are not created with the published
password; DEMO_PASSWORD must be set on purpose."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from organizations import demo, services
from organizations.models import ApiToken, Organization

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_in_production_mode_without_a_demo_password(settings: Any) -> None:
    settings.DEBUG = False
    settings.DEMO_PASSWORD = ""

    with pytest.raises(ImproperlyConfigured, match="DEMO_PASSWORD"):
        call_command("load_demo")

    assert not get_user_model().objects.filter(username="admin").exists()
    assert not Organization.objects.exists()  # refused before the first write


def test_load_demo_runs_in_production_mode_with_a_demo_password_set(settings: Any) -> None:
    settings.DEBUG = False
    settings.DEMO_PASSWORD = "chosen-on-purpose-42"

    demo.load()

    assert get_user_model().objects.get(username="admin").check_password("chosen-on-purpose-42")


def test_the_embedded_dev_mode_keeps_the_published_password(settings: Any) -> None:
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "tracker-demo-1399"

    assert demo.demo_password() == "tracker-demo-1399"


def test_loading_the_demo_again_keeps_the_demo_users_tokens(settings: Any) -> None:
    demo.load()
    services.api_token_create(actor=get_user_model().objects.get(username="modir"), name="bi")

    demo.load()  # same password: not a password change

    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
